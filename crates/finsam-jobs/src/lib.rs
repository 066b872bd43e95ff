//! Background work that runs beside the server (or alone in `finsam worker`).
//!
//! - [`outbox`]: delivers queued e-mail, each message once, with retries and backoff.
//! - [`render`]: renders document versions (an apalis job per version, and a sweeper).
//! - [`schedule`]: the yearly cycle (årshjul): the year's documents asked for on the förbund's dates.
//! - [`signing`]: signing rounds with their e-mails, reminders, expiry, seal and distribution.
//!
//! State lives in the database tables; the worker only moves rows forward, so a crash or restart loses
//! nothing and a second worker cannot deliver the same message twice (it must win the claim first).

pub mod metrics;
pub mod outbox;
pub mod render;
pub mod schedule;
pub mod signing;
