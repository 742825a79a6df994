// The worklet module registers its processor and exports nothing (its test imports it for that side effect).
export {};
