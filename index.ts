// Package entry point for Pulumi's component analyzer and `pulumi package add`: the public
// components are those re-exported from components/index.ts.
export * from "./components";
