"""The kinds of job a worker process does, in a module light enough for the command line's parser
(``core.workers`` loads pandas, and ``python -m core --help`` waited for it)."""

SIDE_JOBS = ("project", "evaluate", "predict", "search", "shift", "score")  # what a side job may be
WORKER_JOBS = ("train", "resume", "restart", *SIDE_JOBS, "warm-umap", "near-copies")  # what `worker --job` takes
