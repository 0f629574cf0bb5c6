"""Template tags of the union admin panel."""
