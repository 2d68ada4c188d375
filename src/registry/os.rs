//! OS identity (placeholder).
