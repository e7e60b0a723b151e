"""The floors of ``make bench``: for each page, the data it shows fetched by one hand-written
SQL statement, timed in the same run as the page. A page's time over its floor is what the page
costs beyond reading its data."""

PUPIL_COLUMNS = "id, upn, legal_first_name, legal_last_name, preferred_first_name, date_of_birth"

# Every name of a pupil as the pupil_names_trgm index spells it (pupils.models.search_name).
NAMES = """(COALESCE(legal_first_name, '')::text || COALESCE(COALESCE(' ', '') ||
  COALESCE(COALESCE(legal_last_name, '')::text || COALESCE(COALESCE(' ', '') ||
  COALESCE(COALESCE(preferred_first_name, '')::text || COALESCE(COALESCE(' ', '') ||
  COALESCE(preferred_last_name, '')::text, ''), ''), ''), ''), ''))"""
# The first page of a search for part of a name, best match first, with the number found.
NAME_SEARCH_SQL = f"""
SELECT id, upn, legal_first_name, legal_last_name, date_of_birth, COUNT(*) OVER (),
  word_similarity(%(part)s, {NAMES}) AS score
FROM pupils_pupil
WHERE {NAMES} ILIKE %(like)s OR {NAMES} %%> %(part)s
ORDER BY score DESC, legal_last_name, legal_first_name, id LIMIT 25
"""
UPN_SQL = """
SELECT p.id, p.upn, p.legal_first_name, p.legal_last_name, p.preferred_first_name,
  p.date_of_birth, s.name
FROM pupils_pupil p
LEFT JOIN pupils_enrolment e ON e.pupil_id = p.id AND e.end_date IS NULL
LEFT JOIN pupils_school s ON s.id = e.school_id
WHERE p.upn = %(upn)s
"""
PUPIL_PAGE_SQL = """
SELECT p.*,
  (SELECT json_agg(e ORDER BY e.start_date DESC) FROM (SELECT e.start_date, e.end_date, s.name
     FROM pupils_enrolment e JOIN pupils_school s ON s.id = e.school_id
     WHERE e.pupil_id = p.id) e),
  (SELECT json_agg(c) FROM pupils_careepisode c WHERE c.pupil_id = p.id),
  (SELECT json_agg(c) FROM pupils_pupilcontact c WHERE c.pupil_id = p.id),
  (SELECT json_agg(c) FROM pupils_senepisode c WHERE c.pupil_id = p.id),
  (SELECT json_agg(t ORDER BY t.at DESC) FROM (
     SELECT a.at, a.kind, a.note, a.referral_id AS id, r.reference, t.name, u.full_name
       FROM referrals_referralactivity a JOIN referrals_referral r ON r.id = a.referral_id
       JOIN referrals_referraltype t ON t.id = r.referral_type_id
       LEFT JOIN accounts_user u ON u.id = a.actor_id WHERE r.pupil_id = p.id
     UNION ALL
     SELECT a.at, a.kind, a.note, a.case_id, '', o.name, u.full_name
       FROM cases_caseactivity a JOIN cases_case c ON c.id = a.case_id
       JOIN accounts_organisation o ON o.id = c.service_id
       LEFT JOIN accounts_user u ON u.id = a.actor_id
       WHERE c.pupil_id = p.id AND a.kind IN ('opened', 'closed', 'reopened', 'reallocated')
     UNION ALL
     SELECT a.at, a.kind, a.note, a.exclusion_id, '', x.kind, u.full_name
       FROM exclusions_exclusionactivity a JOIN exclusions_exclusion x ON x.id = a.exclusion_id
       LEFT JOIN accounts_user u ON u.id = a.actor_id WHERE x.pupil_id = p.id) t)
FROM pupils_pupil p WHERE p.id = %(pupil)s
"""
QUEUE_SQL = """
SELECT r.id, r.reference, r.status, r.submitted_at, p.legal_first_name, p.legal_last_name,
  p.date_of_birth, s.name, o.name, t.name, COUNT(*) OVER (),
  (SELECT json_agg(name ORDER BY name) FROM pupils_school)
FROM referrals_referral r
JOIN pupils_pupil p ON p.id = r.pupil_id
LEFT JOIN pupils_school s ON s.id = r.school_id
JOIN accounts_organisation o ON o.id = r.service_id
JOIN referrals_referraltype t ON t.id = r.referral_type_id
WHERE r.gateway_id = ANY(%(gateways)s) AND r.status IN ('submitted', 'more_information')
ORDER BY r.submitted_at, r.id LIMIT 50
"""
CASELOAD_SQL = """
SELECT c.id, c.opened_on, p.legal_first_name, p.legal_last_name, s.name, o.name,
  (SELECT COUNT(*) FROM cases_contact x WHERE x.case_id = c.id),
  (SELECT MAX(x.date) FROM cases_contact x WHERE x.case_id = c.id),
  d.due_date, d.title
FROM cases_case c
JOIN pupils_pupil p ON p.id = c.pupil_id
LEFT JOIN pupils_school s ON s.id = c.school_id
JOIN accounts_organisation o ON o.id = c.service_id
LEFT JOIN LATERAL (SELECT d.due_date, d.title FROM deadlines_deadline d
  WHERE d.subject_type_id = %(case_type)s AND d.subject_id = c.id
    AND d.status IN ('open', 'missed') ORDER BY d.due_date LIMIT 1) d ON true
WHERE c.caseworker_id = %(user)s AND c.status = 'open'
ORDER BY c.opened_on, c.id
"""
CASE_PAGE_SQL = """
SELECT c.id, c.status, c.opened_on, p.legal_first_name, p.legal_last_name, s.name, o.name,
  u.full_name, t.name,
  (SELECT json_agg(x ORDER BY x.date) FROM (SELECT x.date, x.kind, x.participants,
     x.duration_minutes, x.notes, w.full_name FROM cases_contact x
     JOIN accounts_user w ON w.id = x.recorded_by_id WHERE x.case_id = c.id) x),
  (SELECT json_agg(a ORDER BY a.at) FROM (SELECT a.at, a.kind, a.note, w.full_name
     FROM cases_caseactivity a LEFT JOIN accounts_user w ON w.id = a.actor_id
     WHERE a.case_id = c.id) a),
  (SELECT json_agg(a ORDER BY a.at) FROM (SELECT a.at, a.kind, a.note
     FROM referrals_referralactivity a WHERE a.referral_id = c.referral_id) a),
  (SELECT json_agg(v) FROM cases_evaluation v WHERE v.case_id = c.id),
  (SELECT json_agg(l) FROM plans_pastoralsupportplan l
     WHERE l.pupil_id = c.pupil_id AND l.status = 'active')
FROM cases_case c
JOIN pupils_pupil p ON p.id = c.pupil_id
LEFT JOIN pupils_school s ON s.id = c.school_id
JOIN accounts_organisation o ON o.id = c.service_id
JOIN accounts_user u ON u.id = c.caseworker_id
JOIN referrals_referral r ON r.id = c.referral_id
JOIN referrals_referraltype t ON t.id = r.referral_type_id
WHERE c.id = %(case)s
"""
DEADLINES_SQL = """
SELECT d.id, d.title, d.due_date, d.counting_note, k.name, s.name, COUNT(*) OVER ()
FROM deadlines_deadline d
JOIN deadlines_deadlinekind k ON k.id = d.kind_id
LEFT JOIN pupils_school s ON s.id = d.school_id
WHERE d.owner_user_id = %(user)s AND d.status IN ('open', 'missed')
ORDER BY d.due_date, d.id LIMIT 50
"""
REGISTER_SQL = """
SELECT x.id, x.start_date, x.kind, x.sessions, p.legal_first_name, p.legal_last_name, s.name,
  p.upn, p.sen_status, p.care_status,
  (SELECT row(count(*), sum(y.sessions)) FROM exclusions_exclusion y
     WHERE y.pupil_id = x.pupil_id AND y.school_id = x.school_id AND y.kind = 'suspension'
       AND y.status <> 'withdrawn' AND y.start_date BETWEEN %(year_start)s AND %(year_end)s),
  (SELECT json_agg(t) FROM (SELECT t.start_date, t.end_date FROM deadlines_term t
     WHERE t.school_id IS NULL) t),
  (SELECT array_agg(c.code) FROM exclusions_exclusion_reasons r
     JOIN exclusions_reasoncode c ON c.id = r.reasoncode_id WHERE r.exclusion_id = x.id),
  (SELECT json_agg(d) FROM (SELECT k.name, d.due_date, d.provisional FROM deadlines_deadline d
     JOIN deadlines_deadlinekind k ON k.id = d.kind_id
     WHERE d.subject_type_id = %(exclusion_type)s AND d.subject_id = x.id
       AND d.status IN ('open', 'missed')) d),
  (SELECT json_agg(name ORDER BY name) FROM pupils_school)
FROM exclusions_exclusion x
JOIN pupils_pupil p ON p.id = x.pupil_id
JOIN pupils_school s ON s.id = x.school_id
ORDER BY x.start_date DESC, x.id DESC LIMIT 50
"""
# The quarter's referral and case figures, the same for the quarter a year before, contacts
# per closed case, every breakdown of the referrals received, and the four-quarter trend.
DASHBOARD_SQL = """
WITH received AS (
  SELECT t.name AS type, s.name AS school, s.phase, p.gender, p.sen_status, p.care_status,
    p.pupil_premium, EXTRACT(YEAR FROM p.date_of_birth) AS born
  FROM referrals_referral r JOIN pupils_pupil p ON p.id = r.pupil_id
  JOIN referrals_referraltype t ON t.id = r.referral_type_id
  LEFT JOIN pupils_school s ON s.id = r.school_id
  WHERE r.service_id = %(service)s AND r.submitted_at >= %(start)s AND r.submitted_at < %(end)s
)
SELECT
  (SELECT row(COUNT(*) FILTER (WHERE submitted_at >= %(start)s AND submitted_at < %(end)s),
     COUNT(*) FILTER (WHERE decided_at >= %(start)s AND decided_at < %(end)s),
     COUNT(*) FILTER (WHERE allocated_at >= %(start)s AND allocated_at < %(end)s),
     PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY allocated_at - submitted_at))
   FROM referrals_referral WHERE service_id = %(service)s AND (
     submitted_at >= %(start)s AND submitted_at < %(end)s
     OR decided_at >= %(start)s AND decided_at < %(end)s
     OR allocated_at >= %(start)s AND allocated_at < %(end)s)),
  (SELECT row(COUNT(*) FILTER (WHERE submitted_at >= %(last_start)s),
     COUNT(*) FILTER (WHERE decided_at >= %(last_start)s AND decided_at < %(last_end)s),
     COUNT(*) FILTER (WHERE allocated_at >= %(last_start)s AND allocated_at < %(last_end)s))
   FROM referrals_referral WHERE service_id = %(service)s AND (
     submitted_at >= %(last_start)s AND submitted_at < %(last_end)s
     OR decided_at >= %(last_start)s AND decided_at < %(last_end)s
     OR allocated_at >= %(last_start)s AND allocated_at < %(last_end)s)),
  (SELECT row(COUNT(*) FILTER (WHERE opened_on < %(start)s),
     COUNT(*) FILTER (WHERE closed_on IS NULL OR closed_on >= %(end)s),
     COUNT(*) FILTER (WHERE closed_on < %(end)s))
   FROM cases_case WHERE service_id = %(service)s AND opened_on < %(end)s
     AND (closed_on IS NULL OR closed_on >= %(start)s)),
  (SELECT COUNT(*) FROM cases_contact WHERE case_id IN (SELECT id FROM cases_case
     WHERE service_id = %(service)s AND closed_on >= %(start)s AND closed_on < %(end)s)),
  (SELECT json_agg(g) FROM (SELECT GROUPING(type, school, phase, born, gender, sen_status,
     care_status, pupil_premium), type, school, phase, born, gender, sen_status, care_status,
     pupil_premium, COUNT(*) FROM received GROUP BY GROUPING SETS ((type), (school), (phase),
     (born), (gender), (sen_status), (care_status), (pupil_premium))) g),
  (SELECT COUNT(*) FROM referrals_referral WHERE service_id = %(service)s
     AND submitted_at >= %(year_start)s AND submitted_at < %(end)s)
"""
API_PUPILS_SQL = f"SELECT {PUPIL_COLUMNS} FROM pupils_pupil ORDER BY id DESC LIMIT 50"
API_REFERRALS_SQL = """
SELECT r.id, r.reference, r.status, r.submitted_at, r.pupil_id, r.school_id, r.service_id,
  r.referral_type_id FROM referrals_referral r ORDER BY r.id DESC LIMIT 50
"""
