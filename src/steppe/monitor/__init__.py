"""Trend monitoring: structural breaks, unusual changes and nowcasts of warehouse series.

``breaks`` and ``nowcast`` are pure functions on arrays; ``alerts`` reads the
warehouse and turns their findings into alerts that name their series and source.
"""
