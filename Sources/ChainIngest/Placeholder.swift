enum _PlaceholderChainIngest {}
