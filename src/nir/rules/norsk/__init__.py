"""The second scheme: opplaering i norsk og samfunnskunnskap (rules-norsk.md N1-N8).

Pure like the rest of ``nir.rules``: facts and dates in, results with their legal basis out.
The scheme's configuration is ``norsk.config.NorskConfig``, composed of each module's own
parameters.
"""
