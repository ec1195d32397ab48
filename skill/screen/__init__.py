"""Back Coach on a screen: APL documents, the moves drawn as vector figures, and a browser preview."""
