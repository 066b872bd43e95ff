//! Hand-written queries, one module per aggregate.

pub mod accounts;
pub mod audit;
pub mod coach_reports;
pub mod documents;
pub mod health;
pub mod insatser;
pub mod meetings;
pub mod members;
pub mod memberships;
pub mod organisation;
pub mod outbox;
pub mod schedule;
pub mod sessions;
pub mod signing;
pub mod surveys;
pub mod tenants;
pub mod tokens;
pub mod yearfile;
