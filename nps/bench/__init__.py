"""Only for the benchmark (`make bench`): the floor view, served beside the project's own pages."""
