enum _PlaceholderChainAnalysis {}
