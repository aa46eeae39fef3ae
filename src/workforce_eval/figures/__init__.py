"""Figures drawn from the statistics register: shared style and one module per family of figures."""
