"""Deployment recipes for running the course for a whole class (see deploy/README.md)."""
