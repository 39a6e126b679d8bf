enum _PlaceholderChainStore {}
