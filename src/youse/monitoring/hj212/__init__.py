"""HJ 212 (data transmission of online pollution monitoring): codec, gateway, journal, simulator.

Pure Python: nothing here imports Django except `store.py`, the one module that writes readings."""
