"""Population scale: generated fact environments (:mod:`.sample`) and the columnar plan
run partitioned on Dask (:mod:`.partitioned`). Dask is imported only when used."""
