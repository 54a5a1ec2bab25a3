#!/usr/bin/env bash
# Attack tools nobody here wrote, against a throwaway demo instance on loopback:
#
# - Debian's sqlmap against the search form, the case forms, the audit filters, the contact log,
#   the intake figures, a proceeding's next step, the calendar's new hearing, a new medico-legal
#   evaluation, a training's participant counts, a rehabilitation session, the case file for
#   court, a monitoring visit's next step, an assessment of a UN recommendation and the
#   recommendation list's filters, with an authenticated session (a lawyer, an operator, a
#   coordinator, a doctor, a monitor, an analyst, and an administrator for the audit page), and against the public web report and its follow-up without
#   any session: it must find no injectable parameter;
# - Debian's ffuf against the unauthenticated surface: every route of the router (with real ids
#   of the instance) and common sensitive paths, without a session: nothing but the public pages
#   may answer 200, and nothing may answer 500.
#
# Usage: scripts/attack.sh [path to the ozodi binary]   (default: target/debug/ozodi, built if
# missing). Needs `apt-get install sqlmap ffuf curl` (.ci/run installs them). Exits 0 when both
# found nothing; reports go to results/attack/.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/ozodi}
[ -x "$bin" ] || cargo build -q -p ozodi
for tool in sqlmap ffuf curl; do
    command -v "$tool" >/dev/null || { echo "attack: $tool is not installed (apt-get install $tool)" >&2; exit 2; }
done

out=results/attack
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A demo instance (synthetic data only) on a free loopback port.
# The report limits are lifted: sqlmap sends hundreds of reports and wrong receipts from one address.
OZODI_REPORTS_PER_HOUR=1000000 OZODI_REPORTS_PER_CLIENT_PER_HOUR=1000000 OZODI_MAX_FAILED_LOGINS_PER_CLIENT=1000000 \
    "$bin" demo --data-dir "$work/data" --port 0 --cases 20 >"$work/demo.log" 2>"$out/server.log" &
server=$!
for _ in $(seq 600); do
    base=$(sed -n 's|^ozodi listening on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$work/demo.log")
    [ -n "$base" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; echo "attack: the demo did not start" >&2; exit 1; }
    sleep 0.5
done
[ -n "$base" ] || { echo "attack: the demo did not start in time" >&2; exit 1; }
echo "attack: demo at $base"
site=$(sed -n 's|^public site on \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$work/demo.log")
[ -n "$site" ] || { echo "attack: the demo's public site did not start" >&2; exit 1; }
echo "attack: public site at $site"
password=$(sed -n 's|^  password: *\([^ ]*\).*|\1|p' "$work/demo.log")

# log_in USER JAR: a session cookie in JAR; prints the session's CSRF token.
log_in() {
    local token
    token=$(curl -sf -c "$2" -b "$2" "$base/login" | sed -n 's|.*name="csrf" value="\([0-9a-f]\{64\}\)".*|\1|p' | head -1)
    curl -sf -o /dev/null -c "$2" -b "$2" --data-urlencode "csrf=$token" --data-urlencode "username=$1" \
        --data-urlencode "password=$password" "$base/login"
    curl -sf -c "$2" -b "$2" "$base/dashboard" | sed -n 's|.*name="csrf" value="\([0-9a-f]\{64\}\)".*|\1|p' | head -1
}
# The jar's cookies as a header (session cookies are HttpOnly: curl marks those lines "#HttpOnly_").
cookie_of() { sed 's/^#HttpOnly_//' "$1" | awk '!/^#/ && NF >= 7 { printf "%s=%s; ", $6, $7 }'; }

lawyer_csrf=$(log_in lawyer "$work/lawyer.jar")
admin_csrf=$(log_in admin "$work/admin.jar")
operator_csrf=$(log_in operator "$work/operator.jar")
log_in coordinator "$work/coordinator.jar" >/dev/null
doctor_csrf=$(log_in doctor "$work/doctor.jar")
monitor_csrf=$(log_in monitor "$work/monitor.jar")
analyst_csrf=$(log_in analyst "$work/analyst.jar")
monitor_cookie=$(cookie_of "$work/monitor.jar")
analyst_cookie=$(cookie_of "$work/analyst.jar")
doctor_cookie=$(cookie_of "$work/doctor.jar")
lawyer_cookie=$(cookie_of "$work/lawyer.jar")
admin_cookie=$(cookie_of "$work/admin.jar")
operator_cookie=$(cookie_of "$work/operator.jar")
coordinator_cookie=$(cookie_of "$work/coordinator.jar")
[ -n "$lawyer_csrf" ] && [ -n "$admin_csrf" ] || { echo "attack: cannot log in" >&2; exit 1; }

# Real ids of the instance, so that a route that leaks answers with content, not 404.
case_page=$(curl -sf -b "$work/lawyer.jar" "$base/cases" | grep -o '/cases/[0-9a-f-]\{36\}' | head -1)
case_html=$(curl -sf -b "$work/lawyer.jar" "$base$case_page")
person=$(grep -o '/persons/[0-9a-f-]\{36\}' <<<"$case_html" | head -1 | cut -d/ -f3)
record=$(grep -o '/\(events\|acts\|information\|interventions\)/[0-9a-f-]\{36\}' <<<"$case_html" | head -1)
facility=$(curl -sf -b "$work/lawyer.jar" "$base/facilities" | grep -o '/facilities/[0-9a-f-]\{36\}' | head -1)
user=$(curl -sf -b "$work/admin.jar" "$base/admin/users" | grep -o '/admin/users/[0-9a-f-]\{36\}' | head -1)
css=$(curl -sf "$base/login" | grep -o '/static/[0-9a-f]*/ozodi.css' | head -1)
alerts_js=$(curl -sf -b "$work/lawyer.jar" "$base/dashboard" | grep -o '/static/[0-9a-f]*/alerts.js' | head -1)
contact=$(curl -sf -b "$work/operator.jar" "$base/lines/SUG" | grep -o '/contacts/[0-9a-f-]\{36\}' | head -1)
case_id=${case_page#/cases/}
# The newest case of the demo has a complaint with a deadline (seeding::demo_legal).
proceeding=$(grep -o '/proceedings/[0-9a-f-]\{36\}' <<<"$case_html" | head -1 | cut -d/ -f3)
calendar_html=$(curl -sf -b "$work/lawyer.jar" "$base$case_page/calendar")
entry=$(grep -o "$case_page/calendar/[0-9a-f-]\{36\}" <<<"$calendar_html" | head -1 | rev | cut -d/ -f1 | rev)
lawyer_id=$(grep -o '<option value="[0-9a-f-]\{36\}" selected' <<<"$calendar_html" | head -1 | cut -d'"' -f2)
[ -n "$proceeding" ] && [ -n "$entry" ] && [ -n "$lawyer_id" ] || { echo "attack: no proceeding or hearing in the demo" >&2; exit 1; }
# A case the doctor examined someone in, a person of it, and a rehabilitation episode of it. Generated
# cases have evaluations and episodes too, some of them closed: the case taken is the first whose
# episode still takes sessions (the untouched request answers 303, as sqlmap needs), and the demo's
# training.
doctor_case="" subject="" evaluation="" episode=""
for c in $(curl -sf -b "$work/doctor.jar" "$base/cases" | grep -o '/cases/[0-9a-f-]\{36\}' | sort -u); do
    html=$(curl -sf -b "$work/doctor.jar" "$base$c") || continue
    ev=$(grep -o "$c/evaluations/[0-9a-f-]\{36\}" <<<"$html" | head -1 | rev | cut -d/ -f1 | rev) || true
    ep=$(grep -o "$c/rehabilitation/[0-9a-f-]\{36\}" <<<"$html" | sort -u) || true
    [ -n "$ev" ] && [ -n "$ep" ] || continue
    for e in $ep; do
        e=${e##*/}
        status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $doctor_cookie" \
            --data "csrf=$doctor_csrf&session_date.y=2026&session_date.m=11&session_date.d=20&modality=GROUP&duration_minutes=50&notes=x" \
            "$base$c/rehabilitation/$e/sessions")
        if [ "$status" = 303 ]; then
            doctor_case=$c evaluation=$ev episode=$e
            subject=$(grep -o '/persons/[0-9a-f-]\{36\}' <<<"$html" | head -1 | cut -d/ -f3) || true
            break 2
        fi
    done
done
training=$(curl -sf -b "$work/doctor.jar" "$base/trainings" | grep -o '/trainings/[0-9a-f-]\{36\}' | head -1 | cut -d/ -f3)
[ -n "$doctor_case" ] && [ -n "$subject" ] && [ -n "$evaluation" ] && [ -n "$training" ] && [ -n "$episode" ] ||
    { echo "attack: no evaluation, training or rehabilitation episode in the demo" >&2; exit 1; }
# The demo's monitoring (seeding::demo_monitoring) and the shipped UN recommendations.
visit=$(curl -sf -b "$work/monitor.jar" "$base/monitoring" | grep -o '/visits/[0-9a-f-]\{36\}' | head -1 | cut -d/ -f3)
un_rec=$(curl -sf -b "$work/analyst.jar" "$base/recommendations" | grep -o '/recommendations/[0-9a-f-]\{36\}' | head -1 | cut -d/ -f3)
[ -n "$visit" ] && [ -n "$un_rec" ] || { echo "attack: no visit or UN recommendation in the demo" >&2; exit 1; }
echo "attack: case $case_id, person $person, record $record"

# --- sqlmap ---------------------------------------------------------------------------------
sqlmap_run() { # NAME URL DATA COOKIE PARAMS
    local name=$1 status
    # The untouched request must reach the handler (session and CSRF token accepted), or sqlmap
    # would only be testing the refusal page.
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $4" ${3:+--data "$3"} "$2")
    case "$status" in
        200|303|401|422) ;;
        *) echo "attack: the baseline request of $name answered $status; not testing a refusal" >&2; return 1 ;;
    esac
    echo "attack: sqlmap $name (baseline $status)"
    sqlmap -u "$2" ${3:+--data="$3"} --cookie="$4" -p "$5" --batch --level=2 --risk=1 \
        --technique=BEUST --time-sec=2 --threads=2 --disable-coloring --output-dir="$work/sqlmap" \
        --ignore-code=401 \
        >"$out/sqlmap-$name.txt" 2>&1 || true
    if grep -qiE "identified the following injection point|parameter '.*' (is|appears to be) .*injectable" "$out/sqlmap-$name.txt"; then
        echo "attack: sqlmap FOUND an injection in $name (see $out/sqlmap-$name.txt)" >&2
        return 1
    fi
    if ! grep -qiE "do not appear to be injectable|not injectable" "$out/sqlmap-$name.txt"; then
        echo "attack: sqlmap did not complete its tests on $name (see $out/sqlmap-$name.txt)" >&2
        return 1
    fi
}
failed=0
sqlmap_run search "$base/search" "csrf=$lawyer_csrf&q=test&region=SUG&act_type=02011111" "$lawyer_cookie" "q,region,act_type" || failed=1
sqlmap_run case-create "$base/cases" "csrf=$lawyer_csrf&title=Test&region=SUG&hotline=&summary=x" "$lawyer_cookie" "title,region,summary" || failed=1
sqlmap_run case-page "$base$case_page?saved=1" "" "$lawyer_cookie" "saved" || failed=1
sqlmap_run audit "$base/admin/audit?kind=login.ok&actor=admin&from=2026-01-01&until=2027-01-01" "" "$admin_cookie" "kind,actor,from,until" || failed=1
sqlmap_run login "$base/login" "csrf=$lawyer_csrf&username=nobody&password=x" "$lawyer_cookie" "username" || failed=1
sqlmap_run contact-create "$base/contacts" \
    "csrf=$operator_csrf&line=SUG&received_at=2026-11-30T10:00&channel=call&caller=victim&region=SUG&summary=x" \
    "$operator_cookie" "line,received_at,channel,caller,region,summary" || failed=1
sqlmap_run figures "$base/intake/figures?from=2026-01-01&to=2026-12-31" "" "$coordinator_cookie" "from,to" || failed=1
# A step the machine refuses (the complaint stands at "appealed"): the handler reads the proceeding's
# state and checks every field before refusing, on every request alike.
sqlmap_run step "$base$case_page/proceedings/$proceeding/steps" \
    "csrf=$lawyer_csrf&to=REFUSED&seq=5&decided_on=2026-11-30&ground=NO_CORPUS&document=&note=x" \
    "$lawyer_cookie" "to,seq,decided_on,ground,note" || failed=1
sqlmap_run hearing "$base$case_page/calendar" \
    "csrf=$lawyer_csrf&kind=hearing&day=2027-01-10&time=10:00&title=x&place=y&proceeding=$proceeding&responsible=$lawyer_id" \
    "$lawyer_cookie" "kind,day,time,title,place,proceeding,responsible" || failed=1
sqlmap_run evaluation "$base$doctor_case/evaluations" \
    "csrf=$doctor_csrf&subject=$subject&requested_by=LAWYER&allegations=x&informed_consent=yes&overall_consistency=HC" \
    "$doctor_cookie" "subject,requested_by,allegations,informed_consent,overall_consistency" || failed=1
sqlmap_run training-participants "$base/trainings/$training/participants" \
    "csrf=$doctor_csrf&profession=DOCTOR&sex=02&region=SUG&count=9" \
    "$doctor_cookie" "profession,sex,region,count" || failed=1
sqlmap_run rehab-session "$base$doctor_case/rehabilitation/$episode/sessions" \
    "csrf=$doctor_csrf&session_date.y=2026&session_date.m=11&session_date.d=20&modality=GROUP&duration_minutes=50&notes=x" \
    "$doctor_cookie" "session_date.y,modality,duration_minutes,notes" || failed=1
sqlmap_run court-file "$base$case_page/court-file" \
    "csrf=$lawyer_csrf&section=case&section=evidence&recipient=Court%201-234&format=html" \
    "$lawyer_cookie" "section,recipient,format" || failed=1
# A step the visit's course refuses (the newest demo visit is planned and announced): read and checked
# on every request alike.
sqlmap_run visit-step "$base/visits/$visit/steps" \
    "csrf=$monitor_csrf&form=step&to=CONDUCTED&seq=1&on_day=2026-11-20&note=x" \
    "$monitor_cookie" "to,seq,on_day,note" || failed=1
sqlmap_run assessment "$base/recommendations/$un_rec/assessments" \
    "csrf=$analyst_csrf&assessor=coalition&status=PARTIAL&as_of=2026-11-20&official_grade=B&source_doc=CAT&evidence=x&links=MV-0001" \
    "$analyst_cookie" "assessor,status,as_of,official_grade,source_doc,evidence,links" || failed=1
sqlmap_run recommendations "$base/recommendations?mechanism=CAT&theme=INVEST&status=PARTIAL&verified=no&followup=on" "" \
    "$analyst_cookie" "mechanism,theme,status,verified" || failed=1
sqlmap_run statistics "$base/statistics?from=2025-01-01&to=2025-12-31&region=SUG&hotline=SUG&agency=MoIA&facility_type=TJ.FAC.IVS&sex=02&age=minor" "" \
    "$analyst_cookie" "from,to,region,hotline,agency,facility_type,sex,age" || failed=1
sqlmap_run annual-report "$base/statistics/report?year=2025" "" "$analyst_cookie" "year" || failed=1
sqlmap_run case-json "$base/cases?format=json" "" "$lawyer_cookie" "format" || failed=1
sqlmap_run report "$base/report" "place=region:SUG&caller=victim&summary=x" "" "place,caller,summary" || failed=1
sqlmap_run report-follow-up "$base/report/follow-up" "code=ABCD-EFGH-JK&secret=ABCD-EFGH-JKMN-PQRS-TUVW" "" \
    "code,secret" || failed=1
# The public site: its search and filters, and the publication form behind it.
sqlmap_run site-search "$site/ru/library.html?q=test&kind=ARTICLE&year=2025&in=ru" "" "" "q,kind,year,in" || failed=1
sqlmap_run site-report "$site/report" "place=region:SUG&caller=victim&summary=x" "" "place,caller,summary" || failed=1
editor_jar="$work/editor.jar"
editor_csrf=$(log_in editor "$editor_jar")
editor_cookie=$(cookie_of "$editor_jar")
sqlmap_run publication-create "$base/publications" \
    "csrf=$editor_csrf&title=Test&publication_kind=ARTICLE&initial_date.y=2025&lang=ru&tags=x&body=text&cited_cases=" \
    "$editor_cookie" "title,lang,tags,body,cited_cases" || failed=1

# --- ffuf: the unauthenticated surface ------------------------------------------------------
# Every route of the router with real ids, plus paths attackers try first.
grep -o '"/[^"]*"' crates/web/src/router.rs | tr -d '"' | grep -v '{{' | sort -u |
    sed -e "s|/visits/{id}|/visits/$visit|; s|/recommendations/{id}|/recommendations/$un_rec|" \
        -e "s|/visit-recommendations/{id}|/visit-recommendations/$visit|" |
    sed -e "s|{pid}|$proceeding|; s|{entry}|$entry|; s|{secret}|0123456789abcdef0123456789abcdef|" \
        -e "s|{eid}/findings/{seq}|$evaluation/findings/1|; s|/evaluations/{eid}|/evaluations/$evaluation|" \
        -e "s|/trainings/{id}|/trainings/$training|" \
        -e "s|/rehabilitation/{rid}/sessions/{seq}|/rehabilitation/$episode/sessions/1|; s|/rehabilitation/{rid}|/rehabilitation/$episode|" |
    sed -e "s|/contacts/{id}|$contact|; s|/lines/{code}|/lines/SUG|; s|/admin/lines/{code}|/admin/lines/SUG|" \
        -e "s|/tasks/{id}|/tasks/00000000-0000-7000-8000-000000000000|; s|{hash}/alerts.js|${alerts_js#/static/}|" \
        -e "s|{id}|$case_id|; s|{person}|$person|; s|{rid}|${facility#/facilities/}|; s|{hash}/ozodi.css|${css#/static/}|" \
        -e "s|{eid}|00000000-0000-7000-8000-000000000000|; s|{user}|${user#/admin/users/}|" \
        -e "s|/admin/users/{id}|$user|; s|{list}|MT04|; s|{code}|0201|" |
    sed -e "s|{seq}|1|" | sed 's|^/||' >"$work/routes.txt"
for kind in events acts involvements information interventions chains proceedings accused payments; do
    echo "cases/$case_id/$kind/new"
done >>"$work/routes.txt"
for kind in facilities visits visit-findings visit-recommendations un-documents recommendations; do
    echo "$kind/new"
done >>"$work/routes.txt"
echo "visits/$visit/history" >>"$work/routes.txt"
echo "${case_page#/}${record}" >>"$work/routes.txt"
cat >>"$work/routes.txt" <<'EOF'
.git/config
.env
admin
backup
ozodi.db
key.json
ozodi-data/key.json
static/../key.json
cases?all=1
search?q=test
server-status
metrics
debug
EOF
echo "attack: ffuf $(wc -l <"$work/routes.txt") paths without a session"
ffuf -s -w "$work/routes.txt" -u "$base/FUZZ" -mc all -t 4 -of json -o "$out/ffuf.json" >/dev/null 2>"$out/ffuf.log" || true
# The only pages a stranger may get: the front door, the login and unseal pages, health, the static
# files, and the public web report with its follow-up.
python3 - "$out/ffuf.json" <<'PY' || failed=1
import json, sys
public = {"", "login", "unseal", "healthz", "report", "report/follow-up"}
results = json.load(open(sys.argv[1]))["results"]
bad = []
for r in results:
    path = r["input"]["FUZZ"]
    status = r["status"]
    if status >= 500:
        bad.append(f"{status} {path} (a server error)")
    elif status == 200 and path not in public and not path.startswith("static/"):
        bad.append(f"{status} {path} (answered without a login)")
print(f"attack: ffuf tried {len(results)} paths; statuses: " +
      ", ".join(f"{s} x{n}" for s, n in sorted({(r['status'], sum(1 for x in results if x['status'] == r['status'])) for r in results})))
for b in bad:
    print(f"attack: ffuf FOUND {b}", file=sys.stderr)
sys.exit(1 if bad or not results else 0)
PY

# --- ffuf: the public site's listener ---------------------------------------------------------
# Every internal route and the attackers' favourites again: none may answer on the site's
# listener, where only the site's own pages and the anonymous report form exist.
cat "$work/routes.txt" >"$work/site-routes.txt"
cat >>"$work/site-routes.txt" <<'EOF'
ru/index.html
tg/library.html
en/statistics.html
ru/../login
ru/library/../../cases
ru/publications/../../admin/users
files/../ozodi.db
files/00000000-0000-7000-8000-000000000000.pdf
ru/library/kind-ARTICLE.p999.html
EOF
echo "attack: ffuf $(wc -l <"$work/site-routes.txt") paths against the public site"
ffuf -s -w "$work/site-routes.txt" -u "$site/FUZZ" -mc all -t 4 -of json -o "$out/ffuf-site.json" >/dev/null 2>"$out/ffuf-site.log" || true
python3 - "$out/ffuf-site.json" <<'PY' || failed=1
import json, sys
site_pages = {"ru/index.html", "tg/library.html", "en/statistics.html", "report", "report/follow-up"}
results = json.load(open(sys.argv[1]))["results"]
bad = []
for r in results:
    path, status = r["input"]["FUZZ"], r["status"]
    if status >= 500:
        bad.append(f"{status} {path} (a server error)")
    elif status == 200 and path not in site_pages and not path.startswith("static/"):
        bad.append(f"{status} {path} (an internal page on the public site)")
    elif path in site_pages and status != 200:
        bad.append(f"{status} {path} (a page of the site did not answer)")
print(f"attack: ffuf tried {len(results)} paths on the site; statuses: " +
      ", ".join(f"{s} x{n}" for s, n in sorted({(r['status'], sum(1 for x in results if x['status'] == r['status'])) for r in results})))
for b in bad:
    print(f"attack: ffuf FOUND {b}", file=sys.stderr)
sys.exit(1 if bad or not results else 0)
PY

if [ "$failed" -ne 0 ]; then
    echo "attack: FAILED (reports in $out)" >&2
    exit 1
fi
echo "attack: sqlmap found no injectable parameter; ffuf found no page that should need a login, and nothing internal on the public site"
