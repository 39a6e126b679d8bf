// XGBoost's C API (libxgboost-dev) for the ChainAnalysis module's gradient-boosted trees. Only the functions the
// Swift wrapper (ChainAnalysis/XGBoostBooster.swift) calls are used: matrices from dense float rows, training
// one round at a time, margin prediction, and the model saved and loaded as JSON.
#ifndef COINSENTRY_CXGBOOST_SHIM_H
#define COINSENTRY_CXGBOOST_SHIM_H

#include <xgboost/c_api.h>

#endif
