//! Nothing here: the package exists for its test (tests/kb910341.rs).
