//! The Finsam application, assembled: configuration ([`config`]), the running server and worker
//! ([`app`]) and the demo data ([`demo`]). `main.rs` is only the command line.

pub mod app;
pub mod backup;
pub mod config;
pub mod demo;
