"""Models of the insights app: benefit-sharing agreements and the hidden-barriers register.

The regional figures (dashboard, homogeneous competition, cooperation flows) are computed from the
other apps' data in ``analytics.py`` and need no tables of their own.
"""
