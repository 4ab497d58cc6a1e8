"""The pipeline's stages, one module each; `reportparse.pipeline` runs them in order."""
