//! Diagnoses, one module per rule.

pub mod kb910341;
