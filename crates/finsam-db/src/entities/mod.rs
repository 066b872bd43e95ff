//! One module per table. These mirror the migrations and are not edited by hand beyond that.

pub mod account;
pub mod audit_event;
pub mod coach_report;
pub mod distribution;
pub mod document;
pub mod document_version;
pub mod insats;
pub mod insats_coach;
pub mod meeting;
pub mod member;
pub mod membership;
pub mod one_time_token;
pub mod outbox_message;
pub mod person;
pub mod schedule_entry;
pub mod schedule_run;
pub mod seat;
pub mod session;
pub mod signing_event;
pub mod signing_link;
pub mod signing_round;
pub mod staff;
pub mod survey_definition;
pub mod survey_result;
pub mod tenant;
pub mod year_data;
