from tildeling.cli import main

main()
