"""Text handling shared by every extractor: normalisation, fingerprints, sentences."""
