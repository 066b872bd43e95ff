//! Background work that runs beside the server (or alone in `finsam worker`).
//!
//! - [`outbox`]: delivers queued e-mail, each message once, with retries and backoff.
//! - [`render`]: renders document versions (an apalis job per version, and a sweeper).
//!
//! State lives in the database tables; the worker only moves rows forward, so a crash or restart loses
//! nothing and a second worker cannot deliver the same message twice (it must win the claim first).

pub mod outbox;
pub mod render;
