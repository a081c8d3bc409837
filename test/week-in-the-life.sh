#!/usr/bin/env bash
# A week in the life, against a fresh demo: the chair finishes the flagship programme, the officer
# corrects a draft and assigns, HR plans a post.
set -euo pipefail
API=${API:-http://localhost:3000/api/v1}  # needs curl and jq
login() { curl -s $API/auth/login -H 'content-type: application/json' \
  -d "{\"email\":\"$1@lms.congdoan.test\",\"password\":\"Demo@2026\"}" | jq -r .accessToken; }
get()  { curl -s -H "Authorization: Bearer $1" "$API$2"; }
post() { curl -s -H "Authorization: Bearer $1" -H 'content-type: application/json' -X POST "$API$2" -d "${3:-{\}}"; }
put()  { curl -s -H "Authorization: Bearer $1" -H 'content-type: application/json' -X PUT "$API$2" -d "$3"; }
patch(){ curl -s -H "Authorization: Bearer $1" -H 'content-type: application/json' -X PATCH "$API$2" -d "$3"; }

# ── Monday: the chair (Nguyễn Thị Hương, CĐCS Công ty TNHH May Hà Đông) ──────────────────────────
CHAIR=$(login chutich.mayhadong)
get $CHAIR /me/assignments | jq '.items[] | {programme: .programme.title, dueOn, status, next: .nextCourse.code}'
finish_lessons() {   # $1 = course code: tick every lesson that is not the final assessment
  E=$(get $CHAIR '/me/enrolments?limit=100' | jq -r ".items[] | select(.course.code==\"$1\")")
  EID=$(jq -r .id <<<"$E"); CID=$(jq -r .course.id <<<"$E")
  for L in $(get $CHAIR /courses/$CID | jq -r '.lessons[] | select(.kind!="assessment") | .id'); do
    post $CHAIR /enrolments/$EID/lessons/$L/complete | jq -c '{course: .course.code, status, progress}'
  done
}
finish_lessons K01
AID=$(get $CHAIR '/me/enrolments?limit=100' | jq -r '.items[] | select(.course.code=="K01") | .assessmentId')
ATTEMPT=$(post $CHAIR /assessments/$AID/attempts)
ATT=$(jq -r .id <<<"$ATTEMPT")
# The right answers of the demo's K01 test, question by question.
ANSWERS='[["b"],["a","c","d"],["true"],["a"],["false"],["a","b"]]'
for i in $(seq 0 5); do
  Q=$(jq -r ".questions[$i].id" <<<"$ATTEMPT")
  put $CHAIR /attempts/$ATT/answers/$Q "{\"selected\":$(jq -c ".[$i]" <<<"$ANSWERS")}" >/dev/null
done
post $CHAIR /attempts/$ATT/submit | jq '{score, passed, grade, enrolmentStatus}'
get $CHAIR /attempts/$ATT | jq '{status, result: .result.grade}'
finish_lessons K02   # no final assessment: completes on its lessons
finish_lessons K03
get $CHAIR /me/assignments | jq '.items[] | {programme: .programme.code, status, progress, expiresOn}'
get $CHAIR /me/certificates | jq '.items[] | {serial, courseTitle, status, expiresOn}'

# ── Wednesday: the Hà Nội training officer corrects a draft and assigns ──────────────────────────
OFFICER=$(login daotao.hanoi)
HN=$(get $OFFICER /org-units | jq -r '.items[0].id')
COURSE=$(post $OFFICER /courses "{\"code\":\"K06\",\"title\":\"Kỹ năng dối thoại\",\"deliveryMode\":\"online\",\"durationHours\":4,\"ownerOrgUnitId\":\"$HN\"}" | jq -r .id)
patch $OFFICER /courses/$COURSE '{"title":"Kỹ năng đối thoại tại nơi làm việc"}' | jq -c '{code, title, status}'
L1=$(post $OFFICER /courses/$COURSE/lessons '{"title":"Đối thoại định kỳ","kind":"text","content":"Ít nhất một năm một lần."}' | jq -r .id)
L2=$(post $OFFICER /courses/$COURSE/lessons '{"title":"Chuẩn bị đối thoại","kind":"text","content":"Lấy ý kiến người lao động."}' | jq -r .id)
put $OFFICER /courses/$COURSE/lessons/order "{\"lessonIds\":[\"$L2\",\"$L1\"]}" | jq -c '[.lessons[].title]'
post $OFFICER /courses/$COURSE/publish | jq -c '{code, versionNo, status, completionRule}'
P=$(get $OFFICER '/programmes?limit=50' | jq -r '.items[] | select(.code=="BD-CTCDCS-MOI") | .id')
AUD="{\"orgUnitId\":\"$HN\",\"postTypes\":[\"chair\"],\"orgLevels\":[\"grassroots\"]}"
post $OFFICER /programmes/$P/audience-preview "{\"audience\":$AUD}" | jq '{count, first: .sample[0].fullName}'
DUE=$(date -d '+60 days' +%F)
post $OFFICER /programmes/$P/assignments "{\"audience\":$AUD,\"dueDate\":\"$DUE\"}" | jq '{matched, added, alsoTargeted}'
get $OFFICER /programmes/$P/assignments | jq '.items[] | {status, counts}'

# ── Friday: HR plans the chair's post for the next term ─────────────────────────────────────────
HR=$(login hr.hanoi)
UNIT=$(get $HR '/org-units?q=May%20Ha%20Dong' | jq -r '.items[0].id')
POST=$(get $HR /org-units/$UNIT/posts | jq -r '.items[] | select(.postType=="chair") | .id')
CYCLE=$(post $HR /planning-cycles "{\"orgUnitId\":\"$UNIT\",\"termLabel\":\"2028–2033\",\"termStart\":\"2028-07-01\",\"termEnd\":\"2033-06-30\",\"postIds\":[\"$POST\"]}" | jq -r .id)
# Readiness differs from the system's suggestion: refused until HR says why.
nominate() { post $HR /planning-cycles/$CYCLE/nominations "$1" \
  | jq -c 'if .code then {code, message} else {fullName, readinessLabel, suggestedReadinessLabel} end'; }
for P in $(get $HR "/people?orgUnitId=$UNIT&limit=3" | jq -r '.items[].id'); do
  nominate "{\"postId\":\"$POST\",\"personId\":\"$P\",\"readiness\":\"ready_1_2_years\"}"
  nominate "{\"postId\":\"$POST\",\"personId\":\"$P\",\"readiness\":\"ready_1_2_years\",\"readinessReason\":\"Đã làm phó chủ tịch hai năm\"}"
done
post $HR /planning-cycles/$CYCLE/status '{"status":"open"}' | jq -c '{status, warnings: [.warnings[]?.message]}'
get $HR /org-units/$UNIT/pipeline | jq '.summary // .'
