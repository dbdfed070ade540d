"""Views: parse the request, call a service or a selector, render. Nothing else."""
