//! Every route in one place, and the middleware stack around them.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Multipart, Path, State};
use axum::routing::{get, post};
use ozodi_domain::record::Kind;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;

use crate::ctx::Ctx;
use crate::form::FormPairs;
use crate::handlers::{
    account, admin_audit, admin_users, admin_vocab, advocacy, auth, cases, court, dashboard, evaluations,
    evidence, intake, legal, monitoring, persons, publishing, records, rehab, report, seal, search,
    site_admin, statistics, system, trainings,
};
use crate::middleware;
use crate::state::AppState;

/// The application: routes, then (innermost first) the context middleware, the panic catcher,
/// compression and the security headers (outermost, so even the panic page carries them).
pub fn router(state: AppState) -> Router {
    let max_body = state.config().max_body_bytes;
    // The multipart framing around the file adds a little; the file itself is bounded exactly by
    // the upload handler.
    let evidence_limit =
        usize::try_from(state.config().max_evidence_bytes).unwrap_or(usize::MAX).saturating_add(1 << 20);
    let mut router = Router::new();
    for kind in Kind::OF_CASE {
        router = case_record_routes(router, kind);
    }
    for kind in Kind::REGISTRY {
        router = registry_routes(router, kind);
    }
    router
        .route("/", get(system::root))
        .route("/healthz", get(system::healthz))
        .route("/static/{hash}/ozodi.css", get(system::css))
        .route("/static/{hash}/alerts.js", get(system::alerts_js))
        .route("/intake", get(intake::home))
        .route("/intake/figures", get(intake::figures))
        .route("/lines/{code}", get(intake::queue))
        .route("/contacts", post(intake::create_contact))
        .route("/contacts/new", get(intake::new_contact))
        .route("/contacts/{id}", get(intake::show))
        .route("/contacts/{id}/acknowledge", post(intake::acknowledge))
        .route("/contacts/{id}/triage", post(intake::triage))
        .route("/contacts/{id}/assign", post(intake::assign))
        .route("/contacts/{id}/tasks", post(intake::add_task))
        .route("/contacts/{id}/messages", post(intake::reply))
        .route("/contacts/{id}/reveal", get(intake::reveal_form).post(intake::reveal))
        .route("/alerts", get(intake::alerts))
        .route("/alerts/poll", get(intake::poll))
        .route("/rehabilitation", get(rehab::list))
        .route("/facilities", get(records::facilities))
        .route("/monitoring", get(monitoring::home))
        .route("/statistics", get(statistics::page))
        .route("/statistics/public", get(statistics::public))
        .route("/statistics/report", get(statistics::report))
        .route("/statistics/report/pdf", get(statistics::report_pdf))
        .route("/statistics/{indicator}/cases", get(statistics::cases))
        .route("/meetings", get(advocacy::meetings))
        .route("/publications", get(advocacy::publications))
        .route("/publications/{id}/steps", post(publishing::step))
        .route("/publications/{id}/preview", get(publishing::preview))
        .route(
            "/publications/{id}/files",
            post(publishing::add_file).layer(DefaultBodyLimit::max(publishing::MAX_FILE_BYTES + (1 << 20))),
        )
        .route("/publications/{id}/files/{file}", get(publishing::file))
        .route("/site-pages", get(site_admin::list))
        .route(
            "/site-pages/{page}/{lang}",
            get(site_admin::edit)
                .merge(post(site_admin::save).layer(DefaultBodyLimit::max(middleware::LARGE_FORM_BYTES))),
        )
        .route("/publications/{id}/files/{file}/remove", post(publishing::remove_file))
        .route("/visits/{id}/steps", post(monitoring::visit_step))
        .route("/visits/{id}/team", post(monitoring::add_member))
        .route("/visits/{id}/team/{seq}/remove", post(monitoring::remove_member))
        .route("/visits/{id}/allegations", post(monitoring::allegation))
        .route(
            "/visit-recommendations/{id}/assessments",
            post(|State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>, form: FormPairs| {
                monitoring::add_assessment(Kind::VisitRecommendation, s, ctx, id, form)
            }),
        )
        .route(
            "/recommendations/{id}/assessments",
            post(|State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>, form: FormPairs| {
                monitoring::add_assessment(Kind::UnRecommendation, s, ctx, id, form)
            }),
        )
        .route("/recommendations/{id}/verify", post(monitoring::verify))
        .route(
            "/recommendations",
            get(monitoring::recommendations).post(|State(s): State<AppState>, ctx: Ctx, form: FormPairs| {
                records::create(Kind::UnRecommendation, s, ctx, None, form)
            }),
        )
        .route("/recommendations/documents", get(monitoring::documents))
        .route("/recommendations/matrix", get(monitoring::matrix))
        .route("/recommendations/shadow-report", get(monitoring::shadow_report))
        .route(
            "/recommendations/import",
            get(monitoring::import_form)
                .post(monitoring::import)
                .layer(DefaultBodyLimit::max(monitoring::MAX_IMPORT_BYTES + (1 << 20))),
        )
        .route("/trainings", get(trainings::list).post(trainings::create))
        .route("/trainings/new", get(trainings::new_form))
        .route("/trainings/{id}", get(trainings::show).post(trainings::update))
        .route("/trainings/{id}/edit", get(trainings::edit_form))
        .route("/trainings/{id}/participants", post(trainings::participants))
        .route("/calendar", get(legal::my_calendar))
        .route("/calendar/feed", get(legal::feed).post(legal::new_feed))
        .route("/calendar/feed/revoke", post(legal::revoke_feed))
        .route("/feeds/calendar/{secret}", get(legal::calendar_feed))
        .route("/cases/{id}/calendar", get(legal::case_calendar).post(legal::create_entry))
        .route("/cases/{id}/calendar/{entry}", get(legal::show_entry).post(legal::update_entry))
        .route("/cases/{id}/calendar/{entry}/status", post(legal::set_entry_status))
        .route("/cases/{id}/proceedings/{pid}/steps", post(legal::add_step))
        .route("/cases/{id}/court-file", get(court::form).post(court::produce))
        .route("/cases/{id}/export.json", get(cases::export_json))
        .route("/cases/{id}/rehabilitation", post(rehab::create))
        .route("/cases/{id}/rehabilitation/new", get(rehab::new_form))
        .route("/cases/{id}/rehabilitation/{rid}", get(rehab::show).post(rehab::update))
        .route("/cases/{id}/rehabilitation/{rid}/edit", get(rehab::edit_form))
        .route("/cases/{id}/rehabilitation/{rid}/steps", post(rehab::step))
        .route("/cases/{id}/rehabilitation/{rid}/sessions", post(rehab::add_session))
        .route("/cases/{id}/rehabilitation/{rid}/sessions/new", get(rehab::new_session))
        .route("/cases/{id}/rehabilitation/{rid}/sessions/{seq}/remove", post(rehab::remove_session))
        .route("/cases/{id}/evaluations", post(evaluations::create))
        .route("/cases/{id}/evaluations/new", get(evaluations::new_form))
        .route("/cases/{id}/evaluations/{eid}", get(evaluations::show).post(evaluations::update))
        .route("/cases/{id}/evaluations/{eid}/edit", get(evaluations::edit_form))
        .route("/cases/{id}/evaluations/{eid}/print", get(evaluations::print))
        .route("/cases/{id}/evaluations/{eid}/pdf", get(evaluations::pdf))
        .route("/cases/{id}/evaluations/{eid}/steps", post(evaluations::step))
        .route("/cases/{id}/evaluations/{eid}/sharing", post(evaluations::sharing))
        .route("/cases/{id}/evaluations/{eid}/findings", post(evaluations::add_finding))
        .route("/cases/{id}/evaluations/{eid}/findings/new", get(evaluations::new_finding))
        .route("/cases/{id}/evaluations/{eid}/findings/{seq}/remove", post(evaluations::remove_finding))
        .route("/tasks", get(intake::tasks))
        .route("/tasks/{id}/done", post(intake::complete))
        .route("/notifications", get(intake::notifications))
        .route("/notifications/read", post(intake::mark_read))
        .route("/notifications/email", post(intake::set_email))
        .route("/admin/lines", get(intake::lines).post(intake::create_line))
        .route("/admin/lines/new", get(intake::new_line))
        .route("/admin/lines/{code}", get(intake::line).post(intake::update_line))
        .route("/admin/lines/{code}/staff", post(intake::set_staff))
        .route(
            "/report",
            get(report::form)
                .post(report::submit)
                .layer(DefaultBodyLimit::max(report::MAX_FILES * report::MAX_FILE_BYTES + (1 << 20))),
        )
        .route("/contacts/{id}/files/{seq}/{copy}", get(intake::file))
        .route("/report/follow-up", get(report::follow_up_form).post(report::follow_up))
        .route("/report/message", post(report::message))
        .route("/lang", post(system::switch_language))
        .route("/unseal", get(seal::unseal_form).post(seal::unseal))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/search", get(search::form).post(search::search))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/new", get(cases::new_form))
        .route("/cases/{id}", get(cases::show).post(cases::update))
        .route("/cases/{id}/edit", get(cases::edit_form))
        .route("/cases/{id}/status", post(cases::transition))
        .route("/cases/{id}/public-summary", post(cases::public_summary))
        .route("/cases/{id}/history", get(cases::history))
        .route("/cases/{id}/team", post(cases::add_member))
        .route("/cases/{id}/team/{user}/remove", post(cases::remove_member))
        .route("/cases/{id}/delete", get(cases::delete_form).post(cases::delete))
        .route("/cases/{id}/restore", post(cases::restore))
        .route("/cases/{id}/persons", post(persons::create))
        .route("/cases/{id}/persons/new", get(persons::new_form))
        .route("/cases/{id}/persons/{person}/reveal", get(persons::reveal_form).post(persons::reveal))
        .route("/cases/{id}/persons/{person}/duplicates", get(persons::duplicates).post(persons::decide))
        .route("/cases/{id}/persons/{person}", post(persons::update))
        .route("/cases/{id}/persons/{person}/edit", get(persons::edit_form))
        .route("/cases/{id}/persons/{person}/identity", post(persons::update_identity))
        .route(
            "/cases/{id}/evidence",
            post(|State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>, m: Multipart| {
                evidence::upload(s, ctx, id, m)
            })
            .layer(DefaultBodyLimit::max(evidence_limit)),
        )
        .route(
            "/cases/{id}/evidence/new",
            get(|State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>| evidence::new_form(s, ctx, id)),
        )
        .route(
            "/cases/{id}/evidence/{eid}",
            get(|State(s): State<AppState>, ctx: Ctx, Path((id, eid)): Path<(String, String)>| {
                evidence::show(s, ctx, id, eid)
            }),
        )
        .route(
            "/cases/{id}/evidence/{eid}/delete",
            get(|ctx: Ctx, Path((id, eid)): Path<(String, String)>| evidence::delete_form(ctx, id, eid))
                .post(
                    |State(s): State<AppState>,
                     ctx: Ctx,
                     Path((id, eid)): Path<(String, String)>,
                     form: FormPairs| { evidence::delete(s, ctx, id, eid, form) },
                ),
        )
        .route(
            "/cases/{id}/evidence/{eid}/restore",
            post(|State(s): State<AppState>, ctx: Ctx, Path((id, eid)): Path<(String, String)>| {
                evidence::restore(s, ctx, id, eid)
            }),
        )
        .route(
            "/cases/{id}/evidence/{eid}/download",
            get(|State(s): State<AppState>, ctx: Ctx, Path((id, eid)): Path<(String, String)>| {
                evidence::download(s, ctx, id, eid)
            }),
        )
        .route("/account/password", get(account::password_form).post(account::change_password))
        .route("/admin/users", get(admin_users::list).post(admin_users::create))
        .route("/admin/users/new", get(admin_users::new_form))
        .route("/admin/users/{id}", get(admin_users::show))
        .route("/admin/users/{id}/roles", post(admin_users::set_roles))
        .route("/admin/users/{id}/name", post(admin_users::set_name))
        .route("/admin/users/{id}/disable", get(admin_users::confirm_disable).post(admin_users::disable))
        .route("/admin/users/{id}/enable", post(admin_users::enable))
        .route(
            "/admin/users/{id}/reset-password",
            get(admin_users::confirm_reset).post(admin_users::reset_password),
        )
        .route("/admin/audit", get(admin_audit::browse))
        .route("/admin/vocabularies", get(admin_vocab::index))
        .route("/admin/vocabularies/{list}", get(admin_vocab::show))
        .route("/admin/vocabularies/{list}/terms", post(admin_vocab::add))
        .route("/admin/vocabularies/{list}/{code}", get(admin_vocab::term))
        .route("/admin/vocabularies/{list}/{code}/labels", post(admin_vocab::relabel))
        .route("/admin/vocabularies/{list}/{code}/deprecate", post(admin_vocab::deprecate))
        .route("/admin/vocabularies/{list}/{code}/restore", post(admin_vocab::restore))
        .route("/admin/seal", get(seal::seal_form).post(seal::seal))
        .fallback(system::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::context))
        .layer(CatchPanicLayer::custom(middleware::panic_page))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .with_state(state)
}

/// The routes of one record type of the registry: `/{slug}/…` (a list page of its own, where the
/// type has one, is routed separately).
fn registry_routes(router: Router<AppState>, kind: Kind) -> Router<AppState> {
    let base = format!("/{}", kind.slug());
    // A publication's form carries its whole text.
    let big = move |m: axum::routing::MethodRouter<AppState>| match kind {
        Kind::Publication => m.layer(DefaultBodyLimit::max(middleware::LARGE_FORM_BYTES)),
        _ => m,
    };
    let router = match kind {
        // The list of recommendations is their own page; it takes the form's POST as well.
        Kind::UnRecommendation => router,
        _ => router.route(
            &base,
            big(post(move |State(s): State<AppState>, ctx: Ctx, form: FormPairs| {
                records::create(kind, s, ctx, None, form)
            })),
        ),
    };
    router
        .route(&format!("{base}/new"), get(move |ctx: Ctx| records::new_form(kind, ctx, None)))
        .route(
            &format!("{base}/{{rid}}"),
            get(move |ctx: Ctx, Path(rid): Path<String>| records::show(kind, ctx, None, rid)).merge(big(
                post(move |State(s): State<AppState>, ctx: Ctx, Path(rid): Path<String>, form: FormPairs| {
                    records::update(kind, s, ctx, None, rid, form)
                }),
            )),
        )
        .route(
            &format!("{base}/{{rid}}/edit"),
            get(move |ctx: Ctx, Path(rid): Path<String>| records::edit_form(kind, ctx, None, rid)),
        )
        .route(
            &format!("{base}/{{rid}}/history"),
            get(move |ctx: Ctx, Path(rid): Path<String>| records::history(kind, ctx, None, rid)),
        )
        .route(
            &format!("{base}/{{rid}}/delete"),
            get(move |ctx: Ctx, Path(rid): Path<String>| records::delete_form(kind, ctx, None, rid)).post(
                move |State(s): State<AppState>, ctx: Ctx, Path(rid): Path<String>, form: FormPairs| {
                    records::delete(kind, s, ctx, None, rid, form)
                },
            ),
        )
        .route(
            &format!("{base}/{{rid}}/restore"),
            post(move |State(s): State<AppState>, ctx: Ctx, Path(rid): Path<String>| {
                records::restore(kind, s, ctx, None, rid)
            }),
        )
}

/// The routes of one record type inside a case: `/cases/{id}/{slug}/…`.
fn case_record_routes(router: Router<AppState>, kind: Kind) -> Router<AppState> {
    let base = format!("/cases/{{id}}/{}", kind.slug());
    router
        .route(
            &base,
            post(move |State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>, form: FormPairs| {
                records::create(kind, s, ctx, Some(id), form)
            }),
        )
        .route(
            &format!("{base}/new"),
            get(move |ctx: Ctx, Path(id): Path<String>| records::new_form(kind, ctx, Some(id))),
        )
        .route(
            &format!("{base}/{{rid}}"),
            get(move |ctx: Ctx, Path((id, rid)): Path<(String, String)>| {
                records::show(kind, ctx, Some(id), rid)
            })
            .post(
                move |State(s): State<AppState>,
                      ctx: Ctx,
                      Path((id, rid)): Path<(String, String)>,
                      form: FormPairs| { records::update(kind, s, ctx, Some(id), rid, form) },
            ),
        )
        .route(
            &format!("{base}/{{rid}}/edit"),
            get(move |ctx: Ctx, Path((id, rid)): Path<(String, String)>| {
                records::edit_form(kind, ctx, Some(id), rid)
            }),
        )
        .route(
            &format!("{base}/{{rid}}/history"),
            get(move |ctx: Ctx, Path((id, rid)): Path<(String, String)>| {
                records::history(kind, ctx, Some(id), rid)
            }),
        )
        .route(
            &format!("{base}/{{rid}}/delete"),
            get(move |ctx: Ctx, Path((id, rid)): Path<(String, String)>| {
                records::delete_form(kind, ctx, Some(id), rid)
            })
            .post(
                move |State(s): State<AppState>,
                      ctx: Ctx,
                      Path((id, rid)): Path<(String, String)>,
                      form: FormPairs| { records::delete(kind, s, ctx, Some(id), rid, form) },
            ),
        )
        .route(
            &format!("{base}/{{rid}}/restore"),
            post(move |State(s): State<AppState>, ctx: Ctx, Path((id, rid)): Path<(String, String)>| {
                records::restore(kind, s, ctx, Some(id), rid)
            }),
        )
}
