"""Stage 3 — rule sets and cases as the engine understands them: the checked rule set
(``ruleset``), the fact vocabulary, cases, the catalogue of rule sets and which one applies
(``resolve``), and the register of the law they cite (``legal``).
"""
