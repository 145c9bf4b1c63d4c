//! Queries of the organisation and its accounts: whether the installation is set up (for the
//! sign-in page), the departments with the deactivated ones, the staff, the posts and their
//! holders (centre admin; a department head for their own department), the sign-in log.

use crate::graphql::errors::Gql;
use crate::graphql::pages::{self, Counted};
use crate::graphql::session::actor;
use crate::graphql::types::accounts::SignIn;
use crate::graphql::types::organisation::Post;
use crate::graphql::types::{Department, Staff, engine, parse_id};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use lianban_engine::access::SignInFilter;
use lianban_engine::organisation::Installation;

/// What the installation holds.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "Installation")]
pub enum InstallationState {
    /// No centre yet: its first admin is created with `lianban admin create`.
    Empty,
    /// The demo centre.
    Demo,
    /// A centre of its own.
    Centre,
}

/// The installation, as the sign-in page needs it (no sign-in).
#[derive(SimpleObject)]
pub struct InstallationInfo {
    state: InstallationState,
    /// Whether username-and-password sign-in is on.
    password_sign_in: bool,
    /// Single sign-on's button text when it is set up (`GET /auth/sso` starts it); null when
    /// it is not.
    single_sign_on: Option<String>,
}

/// The organisation.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// What the installation holds and how staff sign in (no sign-in needed).
    async fn installation(&self, ctx: &Context<'_>) -> async_graphql::Result<InstallationInfo> {
        let engine = engine(ctx)?;
        Ok(InstallationInfo {
            state: engine.installation().await.gql()?.into(),
            password_sign_in: engine.password_sign_in(),
            single_sign_on: engine.single_sign_on().map(str::to_owned),
        })
    }

    /// Every department, the deactivated ones too when asked (centre admin for those; others
    /// see the active ones, as `departments`).
    async fn all_departments(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> async_graphql::Result<Vec<Department>> {
        let actor = actor(ctx).await?;
        if include_inactive {
            actor
                .require(
                    lianban_engine::Role::CenterAdmin,
                    "listing deactivated departments",
                )
                .map_err(lianban_engine::Error::from)
                .gql()?;
        }
        Ok(engine(ctx)?
            .all_departments(include_inactive)
            .await
            .gql()?
            .into_iter()
            .map(Department)
            .collect())
    }

    /// 人员 — the staff of a department or of the whole centre, by username (centre admin; a
    /// department head for their own department).
    async fn staff_members(
        &self,
        ctx: &Context<'_>,
        department_id: Option<ID>,
        #[graphql(default = false)] include_inactive: bool,
    ) -> async_graphql::Result<Vec<Staff>> {
        let actor = actor(ctx).await?;
        let department_id = department_id
            .map(|id| parse_id("departmentId", &id))
            .transpose()?;
        Ok(engine(ctx)?
            .staff_list(actor, department_id, include_inactive)
            .await
            .gql()?
            .into_iter()
            .map(Staff::from)
            .collect())
    }

    /// 岗位 — the posts of a department (or all) with their A and B holders (centre admin; a
    /// department head for their own department).
    async fn posts(
        &self,
        ctx: &Context<'_>,
        department_id: Option<ID>,
    ) -> async_graphql::Result<Vec<Post>> {
        let actor = actor(ctx).await?;
        let department_id = department_id
            .map(|id| parse_id("departmentId", &id))
            .transpose()?;
        Ok(engine(ctx)?
            .posts(actor, department_id)
            .await
            .gql()?
            .into_iter()
            .map(Post)
            .collect())
    }

    /// 登录日志 — sign-in attempts, newest first (centre admin): who, when, from which
    /// address, and how each ended.
    async fn sign_ins(
        &self,
        ctx: &Context<'_>,
        staff_id: Option<ID>,
        #[graphql(default = false)] failures_only: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Counted<SignIn>> {
        let actor = actor(ctx).await?;
        let page = pages::request(ctx, first, after.as_deref())?;
        let filter = SignInFilter {
            staff_id: staff_id.map(|id| parse_id("staffId", &id)).transpose()?,
            failures_only,
        };
        let found = engine(ctx)?.sign_ins(actor, filter, page).await.gql()?;
        Ok(pages::counted(found, page, |s| s.id, SignIn::from))
    }
}
