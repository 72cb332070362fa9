"""The contract: the metric catalog, the figures table, issue records and the checks on them.

A plain library: it never imports Prefect, the store or the readers.
"""
