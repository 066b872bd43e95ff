//! The server's integration tests, in one test binary: each module is one area (the file names tell
//! which). One binary links once instead of once per file, which keeps the build and the build cache
//! small; cargo-nextest still runs every test in its own process.

mod api;
mod auth;
mod deploy;
mod documents;
mod figures;
mod insatser;
mod isolation;
mod meetings;
mod members;
mod multiprocess;
mod organisation;
mod outbox;
mod process;
mod production;
mod reports;
mod rls;
mod schedule;
mod signing;
mod surveys;
mod yeardata;
mod yearfile;
