"""Domain logic and queries. Functions here take a RequestContext (whose
``db`` opens transactions) and never see HTTP."""
