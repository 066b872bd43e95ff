//! One module per table. These mirror the migrations and are not edited by hand beyond that.

pub mod account;
pub mod audit_event;
pub mod insats;
pub mod insats_coach;
pub mod member;
pub mod membership;
pub mod one_time_token;
pub mod outbox_message;
pub mod session;
pub mod tenant;
