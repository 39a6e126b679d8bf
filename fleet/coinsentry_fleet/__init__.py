"""CoinSentry fleet learning on Flower: ServerApp, ClientApp and the bridge to `coinsentry fleet`."""
