"""Pages of the support app: fund calls and applications (`funds`), reserves and holdings (`reserves`)."""
