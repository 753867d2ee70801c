"""Open-answer items of the shipped starter library (see starter_library_gen.py): behavioral,
technical and system-design questions, each with a rubric saying what strong, acceptable and weak
answers contain. Keys are stable ("starter:" + the first argument of q): never rename one.
"""
import textwrap

ITEMS = []

B, T, SD = "behavioral", "technical", "system_design"


def _clean(s):
    return textwrap.dedent(s).strip()


def q(key, kind, title, minutes, difficulty, skills, levels, cats, prompt, strong, acceptable, weak):
    """skills, levels and cats are space-separated lists."""
    ITEMS.append(("starter:" + key, {
        "kind": kind,
        "title": title,
        "prompt": _clean(prompt),
        "rubric": {"strong": _clean(strong), "acceptable": _clean(acceptable), "weak": _clean(weak)},
        "expected_minutes": minutes,
        "difficulty": difficulty,
        "skills": skills.split(),
        "seniorities": levels.split(),
        "categories": cats.split(),
    }))


def build_items():
    return list(ITEMS)


# =============================================================================================
# Behavioral (answers in STAR form: situation, task, action, result)
# =============================================================================================

q("beh-learning-something-new-fast", B, "Learning an unfamiliar tool under time pressure", 10, "easy",
  "communication problem-solving", "intern junior", "engineering data product support",
  """
  Tell me about a time you had to learn a tool, language or domain you had never used, in a short
  time, to get something done. What was the goal, how did you go about learning, and how did it
  turn out?

  Follow-ups: How did you know you understood it well enough? What would you do differently next time?
  """,
  """
  A specific story with a real deadline and a concrete outcome. Describes a deliberate learning
  approach (official docs or tutorial first, a small working example, reading existing code,
  asking a specific person a specific question after trying first) and how they checked their
  understanding (tests, a reviewer, comparing with a known-good result). Owns the result honestly,
  including what was still shaky, and names one thing they now do differently.
  """,
  """
  A real example with a reasonable learning approach and outcome, but the actions are described
  in general terms ("I read the docs and practised") or the result is vague; reflection present
  but thin.
  """,
  """
  Hypothetical ("I would...") or generic answer with no specific situation; relied entirely on
  others without effort of their own, or cannot say what the outcome was.
  """)

q("beh-mistake-that-affected-others", B, "A mistake you made that affected other people", 10, "medium",
  "communication problem-solving", "intern junior mid", "engineering data product support",
  """
  Describe a mistake you made at work or in a project that affected users, customers or
  teammates. What happened, what did you do once you noticed, and what changed afterwards?
  """,
  """
  Names a genuine mistake with real impact (not a disguised strength), raised it quickly and
  openly rather than hiding it, put the fix for the people affected first, then found the root
  cause. Describes a lasting change that reduces the chance of repeating it for everyone (a
  check, a test, a checklist, a review step), not just "I will be more careful". Calm, blameless
  tone about others involved.
  """,
  """
  A real mistake with an honest account and a reasonable fix, but the prevention is personal
  resolve only, or the impact on others is underplayed.
  """,
  """
  Cannot name a mistake, picks a trivial one, blames others or circumstances, or hid the problem
  until someone else found it and sees nothing wrong with that.
  """)

q("beh-technical-disagreement", B, "Disagreeing with a teammate on a technical decision", 15, "medium",
  "communication collaboration", "junior mid senior", "engineering data",
  """
  Tell me about a time you strongly disagreed with a colleague or your lead about a technical
  approach. What were the two positions, how was it resolved, and what happened afterwards?
  """,
  """
  States both positions fairly (can argue the other side's best case), separates facts from
  preferences, and moved the discussion to evidence: a prototype, a benchmark, a written
  comparison of trade-offs, or agreed criteria. Knew when to escalate or to disagree-and-commit,
  and supported the final decision fully even if it was not theirs. Reports the actual outcome and
  what they learned about the decision or about working with that person.
  """,
  """
  A real disagreement resolved reasonably, but the answer focuses on being right, the other view
  is described thinly, or the resolution relied on authority rather than evidence.
  """,
  """
  Describes the colleague negatively, "won" by persistence or escalation alone, did not commit to
  a decision they disagreed with, or has never disagreed with anyone.
  """)

q("beh-ambiguous-requirements", B, "Delivering when the requirements were unclear", 10, "medium",
  "communication problem-solving", "junior mid senior", "engineering data product",
  """
  Tell me about a piece of work where the goal or the requirements were unclear when you started.
  How did you decide what to build, and how did you know you had built the right thing?
  """,
  """
  Identifies what was actually ambiguous (the user, the success measure, the scope), went to the
  source (user, stakeholder, data) with concrete questions or a written proposal, made and wrote
  down explicit assumptions, and delivered in small steps to get feedback early. Shows judgement
  about which ambiguity to resolve now and which to leave open, and reports how the result was
  validated against the real need.
  """,
  """
  Asked clarifying questions and delivered something useful, but the process is reactive (waited
  for answers) or validation happened only at the end.
  """,
  """
  Built what they guessed without checking, blamed the unclear request when the result missed, or
  waited for perfect requirements before doing anything.
  """)

q("beh-mentoring-someone", B, "Helping a less experienced colleague grow", 15, "medium",
  "mentoring leadership", "senior staff_plus", "engineering data product support",
  """
  Tell me about someone you mentored or coached. Where did they start, what did you do, and how
  did you know it was working? Include something that did not work.
  """,
  """
  Describes a specific person and a specific growth goal agreed with them, adapts the approach
  to that person (pairing, gradually larger ownership, feedback on real work, sponsorship for
  visible projects), and measures progress by what the person can now do independently. Admits an
  approach that failed and how they changed it. Sees mentoring as part of the job and talks about
  the mentee's success rather than their own.
  """,
  """
  A genuine mentoring relationship with useful actions, but generic ("I answered their questions,
  did code reviews") and without clear evidence of growth or reflection on what failed.
  """,
  """
  Mentoring means doing the work for them or correcting them; no example; or talks about a
  mentee's weaknesses dismissively.
  """)

q("beh-influence-without-authority", B, "Changing a decision you did not own", 15, "hard",
  "leadership communication stakeholder-management", "senior staff_plus", "engineering data product support",
  """
  Describe a time you convinced another team or senior leaders to change a plan, standard or
  priority that was not yours to decide. How did you build the case, who did you have to
  convince, and what was the result?
  """,
  """
  Explains why the change mattered in terms the other side cared about (their goals, risk, cost),
  gathered evidence (data, incidents, a prototype), talked to the people affected individually
  before any big meeting, adjusted the proposal from their feedback, and made adopting it cheap
  (did part of the work, wrote the migration guide). Reports a concrete result and what they
  would do differently; acknowledges the cases where they did not get their way gracefully.
  """,
  """
  A successful example with a reasonable argument, but mostly presentation-driven (one meeting, a
  good deck) with little stakeholder work, or the result is unclear.
  """,
  """
  Relied on escalation or authority, treats the other team as an obstacle, or the example is
  within their own control.
  """)

q("beh-missed-deadline-trade-off", B, "A deadline you were going to miss", 10, "medium",
  "project-management communication", "junior mid senior", "engineering data product support",
  """
  Tell me about a time you realised a commitment (a release, a report, a customer promise) was
  going to slip. When did you notice, what options did you consider, and what did you do?
  """,
  """
  Noticed early through a deliberate check (tracking progress against the plan, not at the last
  minute), told stakeholders promptly with facts and options (cut scope, move the date, add
  help, accept risk) and a recommendation, and followed through. Protected quality where it
  mattered and explains the trade-off they chose and why. Reflects on estimation or planning
  changes they made afterwards.
  """,
  """
  Communicated the slip and delivered a reasonable outcome, but late in the process, or the
  options were not laid out; limited reflection.
  """,
  """
  Worked heroic hours silently and missed anyway, told nobody until the deadline, or cut quality
  (skipped testing) without telling anyone.
  """)

q("beh-leading-incident-response", B, "Leading the response to a serious incident", 15, "hard",
  "incident-management leadership communication", "senior staff_plus", "engineering support",
  """
  Walk me through a serious production incident you led or coordinated. What was your role, how
  did you organise people, how did you communicate, and what changed afterwards?
  """,
  """
  Clear roles (incident commander, communications, investigators), mitigation before root cause
  (rollback, feature flag, failover), regular status updates to stakeholders and customers with
  the next update time, a written timeline. Ran a blameless postmortem with contributing factors
  (not a single root cause), action items with owners that were actually completed, and changes to
  detection or on-call. Talks about the human side (fatigue, handovers).
  """,
  """
  Handled the incident competently and fixed it, but coordination was informal, communication
  ad hoc, or the follow-up actions are generic.
  """,
  """
  Debugged alone while others waited for news, focused on finding who caused it, or there was no
  follow-up beyond the fix.
  """)

q("beh-receiving-critical-feedback", B, "Critical feedback you received", 10, "easy",
  "communication", "intern junior mid", "engineering data product support",
  """
  Tell me about the most useful critical feedback you have received. What was it, how did you
  react at first, and what did you change?
  """,
  """
  Specific feedback about behaviour or work (not a compliment in disguise), honest about the
  first reaction, asked questions to understand it, and shows a concrete, lasting change with
  evidence (later feedback, a result). Has since asked for feedback proactively.
  """,
  """
  Real feedback and a sensible change, but the change is stated rather than shown, or the
  example is minor.
  """,
  """
  Cannot recall any, dismisses the feedback as wrong, or describes feedback they never acted on.
  """)

q("beh-giving-hard-feedback", B, "Giving difficult feedback to a peer or report", 15, "medium",
  "leadership communication", "senior staff_plus", "engineering data product support",
  """
  Describe a time you had to give difficult feedback to a colleague or someone on your team.
  How did you prepare, how did the conversation go, and what happened after?
  """,
  """
  Gave the feedback privately and soon after the behaviour, with specific observed behaviour and
  its impact (not judgements about the person), listened to their side, agreed on what good looks
  like and followed up. Adjusted for the person and the relationship. Honest about their own
  discomfort or what they would do better; outcome is concrete (improvement, or a clear next step
  if there was none).
  """,
  """
  Delivered the message reasonably, but vague about the behaviour or the follow-up; or waited too
  long before raising it.
  """,
  """
  Avoided the conversation, went to the person's manager first without talking to them, gave the
  feedback in public, or framed it as a personal judgement.
  """)

q("beh-competing-priorities", B, "Choosing between competing urgent requests", 10, "medium",
  "prioritization communication", "junior mid senior", "engineering product support data",
  """
  Tell me about a time several people needed something from you urgently and you could not do it
  all. How did you decide what to do first, and how did you handle the people you said "not now" to?
  """,
  """
  Uses explicit criteria (impact on customers or revenue, deadlines that are real vs soft, cost of
  delay, reversibility), checks the criteria with their manager or the requesters when priorities
  genuinely conflict, communicates the decision and an expected time to each requester, and
  revisits when things change. Result and reflection are specific.
  """,
  """
  Reasonable prioritisation and communication, but criteria are intuitive or the people told
  "not now" were informed late.
  """,
  """
  First come first served, whoever is loudest or most senior, or tried to do everything and
  dropped something silently.
  """)

q("beh-group-project-contribution", B, "A team project where someone was not contributing", 10, "easy",
  "collaboration communication", "intern junior", "engineering data product support",
  """
  Tell me about a school, internship or work project with a team where one member was not doing
  their part. What did you do, and how did the project end?
  """,
  """
  Talked to the person directly and early with curiosity (found out why: unclear task, overload,
  personal issue), made the work and deadlines visible to the whole team, redistributed fairly,
  and escalated to the instructor or lead only after trying. Focuses on the team's result and is
  respectful about the person.
  """,
  """
  Handled it reasonably, e.g. picked up the work and finished the project, but did not address it
  with the person or did so late.
  """,
  """
  Complained to others without talking to the person, did everything alone and resents it, or
  describes the person with contempt.
  """)

q("beh-paying-down-technical-debt", B, "Getting buy-in to pay down technical debt", 15, "hard",
  "leadership communication", "senior staff_plus", "engineering data",
  """
  Tell me about a time you got a significant simplification or technical-debt project done: a
  risky migration, removing a legacy system, consolidating duplicated services. How did you justify
  it, plan it, and deliver it without stopping feature work?
  """,
  """
  Quantified the cost of the debt in business terms (incidents, lead time, on-call load, cloud
  cost), proposed an incremental plan (strangler pattern, parallel run, feature flags, reversible
  steps) with milestones that delivered value early, and measured the outcome against the
  original numbers. Managed risk explicitly and communicated progress. Mentions what they chose
  not to fix.
  """,
  """
  Delivered a real cleanup with a sensible plan, but the justification is mostly technical taste,
  or the outcome is not measured.
  """,
  """
  A big-bang rewrite that stalled, debt work done in secret, or no example beyond small refactors.
  """)

q("beh-setting-technical-direction", B, "Setting technical direction across several teams", 20, "hard",
  "leadership system-design stakeholder-management", "staff_plus", "engineering data",
  """
  Describe a time you set or changed the technical direction for several teams (an architecture,
  a platform, a standard). How did you arrive at the direction, how did teams adopt it, and how
  did you know it was the right call?
  """,
  """
  Started from business and team problems, not technology; explored options with the people who
  would live with them (RFC/design doc, prototypes, reviews); made the decision and its trade-offs
  explicit and reversible where possible; planned adoption (migration paths, paved road, tooling,
  deprecation dates) and measured adoption and outcomes. Changed course when evidence said so.
  Shows they grew other leaders in the process.
  """,
  """
  A real cross-team decision with a good process, but adoption or outcome measurement is weak, or
  the decision was imposed more than agreed.
  """,
  """
  Scope limited to their own team, technology chosen for its own sake, or a mandate without
  buy-in that others worked around.
  """)

q("beh-going-beyond-for-a-customer", B, "Going beyond the script to solve a customer problem", 10, "medium",
  "customer-support communication problem-solving", "intern junior mid", "support product",
  """
  Tell me about a time you solved a customer's problem that did not fit the usual process or
  script. What was the situation, what did you do, and what was the result for the customer and
  for the company?
  """,
  """
  Understood the customer's underlying goal (not just the literal request), worked within policy
  or got an exception approved by the right person, kept the customer informed throughout, and
  fed the root cause back (bug report, doc or process change) so others would not hit it again.
  Reports the customer outcome concretely and the effect on the team.
  """,
  """
  Solved the problem with effort and good communication but treated it as a one-off, with no
  feedback into the product or process.
  """,
  """
  Broke policy without approval, promised something that could not be delivered, or describes
  routine work as exceptional.
  """)

q("beh-data-contradicted-intuition", B, "When data contradicted what you expected", 10, "medium",
  "data-analysis communication", "junior mid senior", "data product engineering",
  """
  Tell me about a time data contradicted what you or your team believed. How did you check the
  data was right, and what happened to the decision?
  """,
  """
  Checked the data before trusting it (definitions, instrumentation, sample, segments, time
  window), looked for confounders, reproduced the result a second way, then communicated clearly
  with the caveats and changed or defended the decision accordingly. Describes how they handled
  people who were attached to the original belief.
  """,
  """
  Followed the data and changed course, but validation of the data was thin or the communication
  lacked caveats.
  """,
  """
  Ignored the data because it was inconvenient, or accepted it blindly without checking a
  surprising result.
  """)

q("beh-ownership-outside-role", B, "Owning a problem that was not formally yours", 10, "easy",
  "problem-solving collaboration", "intern junior mid", "engineering data product support",
  """
  Tell me about a time you noticed a problem that was not your responsibility (a broken process,
  a recurring bug, a gap between teams) and did something about it.
  """,
  """
  Noticed it through real attention to outcomes, checked whether someone already owned it,
  informed the owner or took it on with agreement, fixed it or drove it to a fix, and made the fix
  stick (documentation, automation, a handover). Balanced it against their own commitments.
  """,
  """
  Fixed the immediate problem, but did not coordinate with the owner or the fix was not made
  durable.
  """,
  """
  Noticed but only complained, or took over someone else's work without telling them.
  """)

q("beh-hiring-and-team-building", B, "Building or reshaping a team", 15, "hard",
  "leadership", "senior staff_plus", "engineering data product support",
  """
  Tell me about a time you played a major part in building or reshaping a team: hiring, defining
  roles, or changing how the team works. What problem were you solving and what changed?
  """,
  """
  Defined what the team needed from the problem (skills, seniority mix, responsibilities), ran or
  improved a structured, fair hiring process (clear criteria, calibrated interviewers, consistent
  questions), onboarded deliberately, and can point to measurable change (delivery, retention,
  on-call health). Acknowledges a hiring or structure mistake and what they learned.
  """,
  """
  Participated meaningfully in hiring or team changes with sensible reasoning, but limited
  evidence of outcomes or process improvement.
  """,
  """
  Hires on gut feel or culture fit without criteria, or the example is only interviewing
  occasionally.
  """)

q("beh-high-pressure-workload", B, "Staying effective during a period of very high workload", 10, "easy",
  "customer-support communication", "intern junior mid", "support engineering",
  """
  Tell me about a period when the volume of work was far above normal (a ticket spike, a launch,
  exam season plus a job). How did you keep quality up, and how did you look after yourself and
  the people around you?
  """,
  """
  Triaged deliberately (most urgent and most impactful first, templates for repeated issues,
  grouped similar work), asked for help or flagged the overload early with facts, kept quality
  checks on the things that mattered most, and identified the cause of the spike to prevent or
  absorb the next one. Sustainable habits, not just longer hours.
  """,
  """
  Got through with good results, but mainly by working longer; some prioritisation.
  """,
  """
  Quality dropped without anyone being told, or shows no strategy beyond working harder.
  """)

q("beh-explaining-to-non-experts", B, "Explaining something technical to a non-technical audience", 10, "easy",
  "communication", "intern junior mid senior", "engineering data product support",
  """
  Tell me about a time you had to explain a complex technical topic or result to someone without
  your background (a customer, an executive, a colleague from another function). How did you do
  it, and how did you know they understood?
  """,
  """
  Started from what the audience needed to decide or do, used an analogy or a concrete example
  rather than jargon, layered detail on request, checked understanding by asking them to apply it,
  and adjusted. The outcome (a decision, a resolved ticket) shows it worked.
  """,
  """
  Clear explanation with a good example, but did not check understanding or tailor it to the
  decision at hand.
  """,
  """
  Jargon-heavy, blames the audience for not understanding, or "dumbed it down" to the point of
  being wrong.
  """)

q("beh-project-that-failed", B, "A project that failed", 15, "medium",
  "leadership project-management", "mid senior staff_plus", "engineering data product",
  """
  Tell me about a project you were significantly responsible for that failed or was cancelled.
  Why did it fail, when could it have been caught, and what do you do differently now?
  """,
  """
  Takes clear ownership of their part, analyses causes at several levels (assumptions about users
  or technology, planning, communication, signals that were ignored), identifies the earliest point
  the failure was visible, and names specific practices they adopted since (earlier validation,
  kill criteria, smaller milestones). Shows they salvaged value (learning, reusable parts).
  """,
  """
  Honest account with reasonable lessons, but lessons are generic or the analysis stays at the
  surface.
  """,
  """
  Blames others or external factors entirely, or cannot name a failure.
  """)

q("beh-raising-an-ethical-concern", B, "Raising a concern about privacy, safety or fairness", 10, "medium",
  "communication security", "mid senior staff_plus", "engineering data product support",
  """
  Tell me about a time you raised a concern that something your team was doing could harm users:
  privacy, security, safety or fairness. How did you raise it, and what happened?
  """,
  """
  Recognised the risk concretely (which users, what harm, how likely), raised it early with the
  right people and with a constructive alternative, involved the appropriate function (security,
  legal, privacy) when needed, and followed through. Balanced the concern against business needs
  without dismissing either.
  """,
  """
  Raised a real concern appropriately, but without proposing an alternative or without follow-up.
  """,
  """
  Noticed but stayed silent, or raised it in a way that only assigned blame; no example.
  """)

q("beh-remote-async-collaboration", B, "Collaborating across time zones", 10, "easy",
  "collaboration communication", "junior mid senior", "engineering data product support",
  """
  Describe how you worked with colleagues in a very different time zone or in a mostly
  asynchronous team. What went wrong at first, and what practices made it work?
  """,
  """
  Concrete practices: written decisions and design docs, clear handovers with context and next
  steps, well-structured async questions, protecting the overlap hours for discussion, recording
  meetings, explicit response-time expectations. Describes a specific problem (a blocked day, a
  misunderstanding) and how the practice fixed it.
  """,
  """
  Reasonable practices listed, but generic and not tied to a specific story.
  """,
  """
  Expects others to adapt to their hours, or sees async work only as an obstacle.
  """)

q("beh-pushing-back-on-scope", B, "Pushing back on a stakeholder's request", 10, "medium",
  "stakeholder-management communication prioritization", "mid senior", "product engineering data",
  """
  Tell me about a time you pushed back on a request from a senior stakeholder or an important
  customer: a feature, a deadline or a change in scope. How did you do it, and how did it end?
  """,
  """
  Understood the need behind the request first, explained the trade-off with evidence (cost,
  risk, what would be displaced), offered alternatives that met the underlying need, and reached
  a decision that the stakeholder accepted. The relationship stayed intact or improved; they
  followed up on what was promised.
  """,
  """
  Pushed back with reasons and reached a compromise, but without exploring the underlying need.
  """,
  """
  Said yes to everything, or said no without reasons or alternatives.
  """)


# =============================================================================================
# Engineering: technical (open answer)
# =============================================================================================

q("tech-postgresql-composite-index-design", T, "Choosing a PostgreSQL index for a slow query", 15, "medium",
  "postgresql sql performance", "mid senior", "engineering data",
  """
  This query on a 50-million-row `orders` table takes 4 seconds:

  ```sql
  SELECT id, total_cents, created_at
  FROM orders
  WHERE customer_id = $1 AND status = 'paid'
  ORDER BY created_at DESC
  LIMIT 20;
  ```

  There is an index on `customer_id` only. What index would you add, and why in that column
  order? How would you confirm it helps, and what does the index cost?
  """,
  """
  Proposes a B-tree on `(customer_id, status, created_at DESC)` (equality columns first, then the
  sort column) so PostgreSQL reads 20 index entries in order with no sort; considers `INCLUDE
  (total_cents)` for an index-only scan (noting the visibility map and vacuum), or a partial index
  `WHERE status = 'paid'` if most queries filter on it. Verifies with `EXPLAIN (ANALYZE, BUFFERS)`
  before and after, on production-like data and statistics. Names the costs: write amplification,
  storage, HOT updates lost if indexed columns change, and builds it with `CREATE INDEX
  CONCURRENTLY`.
  """,
  """
  Suggests a composite index with a roughly right column order and checks with EXPLAIN, but
  cannot explain why order matters for the sort, or misses concurrent creation and write costs.
  """,
  """
  Adds separate single-column indexes on every column, suggests an index on `created_at` alone,
  or cannot read a query plan; no mention of costs.
  """)

q("tech-postgresql-mvcc-and-vacuum", T, "PostgreSQL MVCC, bloat and VACUUM", 20, "hard",
  "postgresql performance", "senior staff_plus", "engineering data",
  """
  A PostgreSQL table that receives many UPDATEs keeps growing on disk although the row count is
  stable, and queries on it get slower over weeks. Explain what is happening in terms of MVCC,
  how you would confirm it, and how you would fix it and prevent it.
  """,
  """
  Explains that UPDATE writes a new row version and leaves a dead tuple that only VACUUM can
  reclaim once no transaction can see it; growth means vacuum is not keeping up or is blocked.
  Confirms with `pg_stat_user_tables` (n_dead_tup, last_autovacuum), `pg_stat_activity` for
  long-running or idle-in-transaction sessions, replication slots or `hot_standby_feedback` holding
  the xmin horizon. Fixes the blocker, tunes per-table autovacuum (scale factor, cost limit),
  uses fillfactor to enable HOT updates, and reclaims space with `pg_repack` rather than `VACUUM
  FULL` on a live table. Mentions transaction ID wraparound as the serious failure mode.
  """,
  """
  Knows dead tuples and VACUUM and suggests tuning autovacuum, but does not identify what can
  block cleanup (long transactions, slots) or how to reclaim space safely.
  """,
  """
  Suggests adding indexes or hardware, or running `VACUUM FULL` in production without noting the
  exclusive lock; no model of row versions.
  """)

q("tech-transaction-isolation-lost-update", T, "Transaction isolation and the lost update", 15, "medium",
  "sql postgresql concurrency", "mid senior", "engineering",
  """
  Two requests run this at the same time under PostgreSQL's default isolation level:

  ```sql
  BEGIN;
  SELECT balance FROM accounts WHERE id = 7;   -- both read 100
  -- application computes 100 - 30 (and the other 100 - 50)
  UPDATE accounts SET balance = $new WHERE id = 7;
  COMMIT;
  ```

  What can go wrong, and what are the ways to fix it? Compare them.
  """,
  """
  Identifies the lost update under READ COMMITTED (final balance 70 or 50 instead of 20). Gives
  several fixes with trade-offs: an atomic `UPDATE ... SET balance = balance - 30 WHERE id = 7 AND
  balance >= 30`; `SELECT ... FOR UPDATE` row lock; optimistic concurrency with a version column
  and retry; REPEATABLE READ or SERIALIZABLE with serialization-failure retries. Notes lock
  ordering to avoid deadlocks, that retries must be in application code, and that the constraint
  `CHECK (balance >= 0)` is a safety net.
  """,
  """
  Recognises the race and offers one correct fix (usually FOR UPDATE or the atomic UPDATE) but
  cannot compare alternatives or misses the retry requirement of stricter isolation levels.
  """,
  """
  Thinks BEGIN/COMMIT alone prevents the problem, or proposes an application-level mutex in one
  process as the fix for a multi-instance service.
  """)

q("tech-sql-joins-and-nulls", T, "SQL joins, NULLs and counting", 10, "easy",
  "sql", "intern junior", "engineering data",
  """
  Tables: `customers(id, name)` and `orders(id, customer_id, total)`. Write a query listing every
  customer with their number of orders, including customers with no orders (they should show 0).
  Then explain: what is the difference between `COUNT(*)` and `COUNT(o.id)` here, and what happens
  if you move a filter like `o.total > 100` from the `ON` clause to the `WHERE` clause?
  """,
  """
  `SELECT c.id, c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id, c.name`. Explains that `COUNT(*)` counts the NULL-extended row as 1 while
  `COUNT(o.id)` ignores NULLs; that a condition on the right table in `WHERE` removes the
  NULL-extended rows and turns the LEFT JOIN into an inner join, while in `ON` it only limits which
  orders match. Mentions `NULL = NULL` is not true.
  """,
  """
  Correct LEFT JOIN query but hesitant on COUNT(*) vs COUNT(column) or on the ON/WHERE
  difference; gets there with a small example.
  """,
  """
  Uses an INNER JOIN (losing customers without orders), or cannot explain how NULLs behave in
  joins and aggregates.
  """)

q("tech-kubernetes-pod-stuck-pending", T, "Kubernetes pods stuck in Pending", 15, "medium",
  "kubernetes", "mid senior", "engineering",
  """
  After a deploy, new pods of a service stay in `Pending` for many minutes while old pods keep
  running. Walk me through how you would find out why and what the common causes are.
  """,
  """
  Starts with `kubectl describe pod` events (FailedScheduling reason) and explains the scheduler's
  filters: insufficient CPU/memory **requests** (not usage) on any node, node selectors/affinity
  or anti-affinity that cannot be met, taints without tolerations, PersistentVolumeClaims bound to
  a zone with no capacity, pod topology spread constraints, ResourceQuota or LimitRange in the
  namespace, too many pods per node. Knows the cluster autoscaler only adds nodes for pods that
  would fit on a new node and checks its status/logs. Fixes the cause rather than deleting pods,
  and mentions `maxSurge`/`maxUnavailable` and PodDisruptionBudgets in rollouts.
  """,
  """
  Uses describe/events and knows resources and node selectors, but misses taints, volume zones or
  quota, or confuses requests with actual usage.
  """,
  """
  Restarts pods or nodes at random, looks only at application logs (the container has not
  started), or does not know what the scheduler does.
  """)

q("tech-kubernetes-probes-and-rollouts", T, "Liveness, readiness and startup probes", 10, "medium",
  "kubernetes observability", "junior mid senior", "engineering",
  """
  Explain the difference between liveness, readiness and startup probes in Kubernetes. For a web
  service that needs a database, what should each probe check? Describe a real failure that
  badly configured probes can cause.
  """,
  """
  Readiness controls whether the pod receives traffic (removed from Service endpoints), liveness
  restarts the container, startup delays the others for slow boots. Liveness should check only
  that the process itself is healthy (not the database), otherwise a database blip restarts every
  pod at once and causes a cascading outage; readiness may include critical dependencies with
  care. Mentions timeouts/thresholds, graceful shutdown (preStop, SIGTERM handling, draining) and
  how probes interact with rolling updates.
  """,
  """
  Knows the three probes and their effects but puts the database check into liveness or misses
  graceful shutdown.
  """,
  """
  Treats the probes as interchangeable or does not know what happens when each fails.
  """)

q("tech-docker-image-build", T, "Building small, secure, cache-friendly Docker images", 10, "easy",
  "docker security ci-cd", "junior mid", "engineering",
  """
  A team's Docker image for a Node.js service is 1.4 GB, every build reinstalls all dependencies
  even when only source code changed, and the container runs as root. How would you rewrite the
  Dockerfile, and why does each change help?
  """,
  """
  Orders layers so the dependency manifest and lockfile are copied and installed before the
  source (layer caching), uses a multi-stage build (build tools and dev dependencies only in the
  build stage, `npm ci --omit=dev` in the runtime stage), a slim or distroless base pinned by
  version/digest, `.dockerignore` (node_modules, .git, secrets), a non-root `USER`, and no secrets
  in layers or build args (BuildKit secrets instead). Mentions image scanning and that `latest`
  tags make builds non-reproducible.
  """,
  """
  Knows multi-stage builds and layer ordering, but misses non-root, secrets in layers, or
  .dockerignore.
  """,
  """
  Suggests compressing the image or deleting files in a later layer (which does not shrink
  earlier layers); no understanding of the layer cache.
  """)

q("tech-react-unnecessary-rerenders", T, "Why a React component re-renders", 15, "medium",
  "react javascript performance", "junior mid senior", "engineering",
  """
  A React page shows a table of 2,000 rows and a search box above it. Typing in the search box
  feels sluggish. Explain what causes a component to re-render, how you would find the cause
  here, and which fixes you would consider, in order.
  """,
  """
  A component re-renders when its state changes, its parent re-renders (props equal or not) or a
  context it reads changes. Measures first with the React DevTools Profiler. Fixes in order:
  colocate the search state so the table is not the child of a fast-changing parent, defer or
  debounce the filtering (`useDeferredValue`/`startTransition`), memoise the filtered list
  (`useMemo`) and rows (`React.memo` with stable props via `useCallback`), use stable `key`s
  (ids, not indexes), and virtualise the list (react-window) since 2,000 DOM rows is the real
  cost. Notes that memoisation has a cost and is not a default.
  """,
  """
  Knows state/props cause re-renders and reaches for memo/useMemo, but does not measure first or
  misses virtualisation or state colocation.
  """,
  """
  Believes React re-renders only when props change, wraps everything in memo without reason, or
  suggests manipulating the DOM directly.
  """)

q("tech-react-useeffect-data-fetching", T, "Data fetching pitfalls with useEffect", 10, "medium",
  "react javascript", "junior mid", "engineering",
  """
  Review this component. What bugs can it have, and how would you fix them?

  ```jsx
  function Profile({ userId }) {
    const [user, setUser] = useState(null);
    useEffect(() => {
      fetch(`/api/users/${userId}`).then(r => r.json()).then(setUser);
    }, []);
    return user ? <h1>{user.name}</h1> : <Spinner />;
  }
  ```
  """,
  """
  Spots the missing `userId` dependency (stale data when the prop changes), the race where an
  older response arrives after a newer one (fix with an ignore flag or `AbortController` in the
  cleanup), no error or non-2xx handling (`r.ok`), setting state after unmount, and the loading
  state not resetting on id change. Mentions that a data library (React Query/SWR) or framework
  loader handles caching, deduplication and races, and that StrictMode double-invokes effects in
  development.
  """,
  """
  Finds the dependency array bug and error handling but not the race condition, or fixes the race
  only when prompted.
  """,
  """
  Sees no problem, or "fixes" it by disabling the lint rule; does not understand effect cleanup.
  """)

q("tech-typescript-narrowing-api-data", T, "Typing untrusted API data in TypeScript", 10, "medium",
  "typescript", "junior mid", "engineering",
  """
  An API returns either `{"status": "ok", "items": [...]}` or `{"status": "error", "message":
  "..."}`. Show how you would type this in TypeScript so that the compiler forces callers to handle
  both cases, and explain what TypeScript does and does not guarantee about data from the network.
  """,
  """
  A discriminated union on `status` with narrowing via `switch`/`if`, and an exhaustiveness check
  with `never`. States clearly that types are erased at runtime, so `JSON.parse` output must be
  treated as `unknown` and validated (a schema library such as zod, or hand-written type guards)
  at the boundary; warns against `as` casts and `any`. Mentions `strict` mode settings.
  """,
  """
  Writes the union and narrowing correctly but does not address runtime validation, or uses
  `as` to cast the response.
  """,
  """
  Uses `any` or optional fields for everything; believes TypeScript validates data at runtime.
  """)

q("tech-nodejs-event-loop-blocking", T, "Blocking the Node.js event loop", 15, "medium",
  "nodejs javascript performance", "mid senior", "engineering",
  """
  A Node.js API's p99 latency jumps from 50 ms to 3 s whenever one endpoint that generates a large
  PDF report is called, even for unrelated endpoints. Explain why, how you would prove it, and how
  you would fix it.
  """,
  """
  Explains the single-threaded event loop: CPU-bound synchronous work (or sync I/O, large
  `JSON.parse`, catastrophic regexes) blocks all other requests. Proves it with event-loop delay
  metrics (`perf_hooks.monitorEventLoopDelay`), `--cpu-prof`/clinic flame graphs. Fixes: move the
  work to `worker_threads` or a separate job queue/service, stream output, chunk work with
  `setImmediate`, and cap concurrency. Distinguishes the libuv thread pool (fs, crypto, dns) and
  its default size of 4 from worker threads.
  """,
  """
  Identifies event-loop blocking and suggests a worker or queue, but cannot say how to measure it
  or confuses async I/O with parallel CPU work.
  """,
  """
  Suggests making the function `async` (which does not help CPU-bound work) or simply adding more
  instances without understanding the cause.
  """)

q("tech-python-concurrency-models", T, "Threads, asyncio and processes in Python", 15, "medium",
  "python concurrency performance", "mid senior", "engineering data",
  """
  You need to (a) call 500 slow HTTP APIs, (b) resize 10,000 images, and (c) run both inside a
  web service. For each, would you use threads, asyncio or multiple processes in CPython, and
  why? What role does the GIL play?
  """,
  """
  (a) I/O-bound: asyncio with an async client (or a thread pool) with bounded concurrency
  (semaphore), timeouts and retries; (b) CPU-bound: multiprocessing/ProcessPoolExecutor or a
  library that releases the GIL (Pillow/NumPy in C), since the GIL prevents parallel Python
  bytecode; (c) keep CPU work off the request path (task queue such as Celery/RQ), never block the
  event loop in an async framework (`run_in_executor`). Mentions pickling/IPC overhead for
  processes and the free-threaded builds from Python 3.13 as an emerging option.
  """,
  """
  Correct choices for (a) and (b) with the GIL explained, but little on bounding concurrency or on
  keeping CPU work out of the web process.
  """,
  """
  Uses threads for everything believing they run Python code in parallel, or cannot explain the
  GIL.
  """)

q("tech-java-memory-leak-diagnosis", T, "Diagnosing a JVM service that runs out of memory", 15, "hard",
  "java debugging performance", "mid senior", "engineering",
  """
  A Java service's heap usage climbs for days until it hits `OutOfMemoryError` and restarts. GC
  pauses get longer before each crash. How do you find the cause, and what are the usual
  culprits?
  """,
  """
  Confirms a leak (old-generation occupancy after full GC keeps rising) with GC logs/JFR, takes
  heap dumps (`-XX:+HeapDumpOnOutOfMemoryError`, `jcmd GC.heap_dump`) and analyses dominators and
  paths to GC roots in Eclipse MAT or similar, compares two dumps over time. Usual culprits:
  unbounded caches and maps, listeners never removed, ThreadLocals in thread pools, static
  collections, classloader leaks on redeploy, unclosed resources. Separates heap from native/
  metaspace/direct buffer leaks (container OOM kill vs Java OOM). Fix plus a regression guard
  (bounded cache with eviction, a soak test).
  """,
  """
  Knows to take a heap dump and look for large collections, but analysis is vague or misses
  non-heap memory.
  """,
  """
  Only increases `-Xmx` or restarts the service on a schedule; no diagnostic approach.
  """)

q("tech-go-goroutine-leaks-context", T, "Goroutine leaks and context cancellation in Go", 15, "medium",
  "go concurrency", "mid senior", "engineering",
  """
  A Go HTTP service's goroutine count grows steadily, and memory with it. Handlers start
  goroutines that query two backends in parallel and return the first answer. What is likely
  leaking, how do you confirm it, and how should the code be written?
  """,
  """
  Likely goroutines blocked forever sending on an unbuffered channel nobody reads after the first
  answer, or waiting on requests without timeouts. Confirms with `pprof` goroutine profiles
  (stack counts) and `runtime.NumGoroutine` metrics. Fix: derive a `context.WithTimeout` from the
  request context, pass it to backend calls, cancel on first result, use a buffered channel of
  size N or select on `ctx.Done()` when sending; `errgroup` for structured concurrency. Mentions
  `goleak` in tests.
  """,
  """
  Identifies blocked goroutines and suggests context or buffered channels, but not both the
  send-side leak and missing timeouts, or cannot name the profiling tool.
  """,
  """
  Blames the garbage collector, or suggests restarting; does not know goroutines are not
  garbage-collected while blocked.
  """)

q("tech-cpp-raii-and-move-semantics", T, "RAII, ownership and move semantics in C++", 15, "medium",
  "cpp", "mid senior", "engineering",
  """
  Explain RAII and the "rule of zero" in modern C++. Then: what is wrong with this class, and how
  would you fix it?

  ```cpp
  class Buffer {
   public:
    explicit Buffer(size_t n) : data_(new char[n]), size_(n) {}
    ~Buffer() { delete[] data_; }
    char* data_;
    size_t size_;
  };
  std::vector<Buffer> v; v.push_back(Buffer(1024));
  ```
  """,
  """
  RAII ties resource lifetime to object lifetime (destructors release, also during exceptions);
  rule of zero: use members that manage themselves (`std::vector<char>`, `std::unique_ptr<char[]>`)
  so no custom destructor/copy/move is needed. The class violates the rule of three/five: the
  implicit copy copies the pointer, so the temporary and the vector element both `delete[]` it
  (double free). Fix with `std::vector<char>` or `unique_ptr`, or implement move constructor and
  move assignment (marked `noexcept` so vector reallocation moves) and delete or deep-implement
  copy. Mentions public data members breaking invariants.
  """,
  """
  Finds the double free and knows the rule of three/five, but the fix is a hand-written copy
  constructor without considering moves, `noexcept` or the rule of zero.
  """,
  """
  Does not see the double free, or suggests removing the destructor (leak) or using raw
  `new`/`delete` more carefully.
  """)

q("tech-rust-ownership-shared-state", T, "Ownership and shared mutable state in Rust", 15, "medium",
  "rust concurrency", "mid senior", "engineering",
  """
  Explain Rust's ownership and borrowing rules and what problems they prevent. Then: you need a
  counter map shared by several threads (or tokio tasks) that all update it. What types would you
  use, and what are the trade-offs?
  """,
  """
  One owner; any number of shared `&T` or exactly one `&mut T`; lifetimes ensure references do not
  outlive data; this prevents use-after-free, double free and data races at compile time. Shared
  state across threads: `Arc<Mutex<HashMap<..>>>` (or `RwLock`), why `Rc`/`RefCell` are not
  `Send`/`Sync`; alternatives: sharding, `DashMap`, atomics, or message passing to one owner task
  (channels). For async: do not hold a `std::sync::Mutex` guard across `.await`; use
  `tokio::sync::Mutex` only when needed. Mentions lock contention and poisoning.
  """,
  """
  Explains ownership and uses `Arc<Mutex<..>>` correctly, but not the alternatives or the async
  caveat.
  """,
  """
  Cannot state the borrowing rules, or reaches for `unsafe`/static mut to share state.
  """)

q("tech-rest-api-resource-design", T, "Designing a REST API for a resource", 15, "medium",
  "rest-api", "junior mid", "engineering",
  """
  Design the HTTP API for managing job postings in a hiring product: create, read, update, list
  with filters, and close a posting. Give the endpoints, methods, status codes and the shape of a
  list response. How do you handle pagination, partial updates and versioning?
  """,
  """
  Resource-oriented URLs (`/v1/jobs`, `/v1/jobs/{id}`), correct methods and codes (201 with
  Location, 200/204, 400 vs 422 for validation, 404, 409 for conflicts, 401 vs 403), state changes
  as an explicit sub-resource or action (`POST /v1/jobs/{id}/close`) rather than a free-form
  field. Cursor pagination (opaque cursor, stable sort with a tie-breaker id) and why offset
  pagination degrades and skips rows; `PATCH` semantics (merge patch) and optimistic concurrency
  (ETag/If-Match or a version field -> 412/409). Versioning in the path or header with additive
  changes and a deprecation policy; consistent error format (RFC 9457 problem details).
  """,
  """
  Sensible endpoints and status codes, offset pagination with awareness of its limits, but little
  on concurrency control or error format.
  """,
  """
  Verbs in URLs for everything (`/getJobs`, `/deleteJob`), 200 for errors, no pagination plan.
  """)

q("tech-api-retries-and-idempotency", T, "Safe retries and idempotency in APIs", 15, "hard",
  "rest-api distributed-systems", "mid senior staff_plus", "engineering",
  """
  A mobile client calls `POST /payments` and gets a timeout. It does not know whether the
  payment happened. How should the API be designed so the client can retry safely? Cover the
  client, the server and the database.
  """,
  """
  Client generates an idempotency key per logical operation and reuses it on retries with
  exponential backoff and jitter. Server stores key + request hash + response atomically with the
  side effect (same transaction, unique constraint), returns the stored response on a repeat,
  rejects the same key with a different body (422/409), handles a concurrent in-flight duplicate
  (lock or 409 "in progress"), expires keys after a retention window. Explains which HTTP methods
  are idempotent by definition and that exactly-once delivery is really at-least-once plus
  deduplication; downstream calls (payment provider) also get idempotency keys.
  """,
  """
  Proposes idempotency keys with server-side deduplication, but misses atomicity with the side
  effect, request-body mismatch, or concurrent duplicates.
  """,
  """
  Tells the client not to retry, or deduplicates by amount and time window; no understanding of
  why timeouts are ambiguous.
  """)

q("tech-graphql-n-plus-one", T, "The N+1 problem and cost control in GraphQL", 10, "medium",
  "graphql performance", "mid senior", "engineering",
  """
  A GraphQL query fetches 50 posts and, for each, its author and the last 10 comments with their
  authors. The server makes hundreds of database queries for it. Why, and how do you fix it? How
  do you protect the server from expensive queries in general?
  """,
  """
  Per-field resolvers execute once per parent object, producing N+1 queries; fix with batching
  and per-request caching (DataLoader: collect keys in a tick, one `WHERE id = ANY(...)` query),
  or join-aware resolvers. Protection: depth and complexity/cost limits, pagination required on
  lists with max page size, persisted queries/allow-lists for public clients, timeouts, and rate
  limits by cost. Mentions that the DataLoader cache must be per request (no cross-user leaks).
  """,
  """
  Explains N+1 and DataLoader, but protection against expensive queries is limited to depth.
  """,
  """
  Blames GraphQL and suggests caching everything globally, or does not know why the queries
  multiply.
  """)

q("tech-owasp-injection-and-xss", T, "Preventing injection and cross-site scripting", 15, "medium",
  "security", "junior mid senior", "engineering",
  """
  Our product lets recruiters write interview questions in Markdown that candidates see in the
  browser, and stores them in PostgreSQL. Which injection and cross-site scripting risks does this
  feature have, and how do you prevent each one?
  """,
  """
  SQL injection: parameterised queries/prepared statements only, never string concatenation,
  least-privilege DB role. Stored XSS: render Markdown to HTML then sanitise with an allow-list
  (DOMPurify or equivalent), disallow raw HTML, `javascript:` URLs and event handlers; never use
  `innerHTML`/`dangerouslySetInnerHTML` with unsanitised content; encode output by context; add a
  Content-Security-Policy without `unsafe-inline`. Also email rendering, CSRF (SameSite cookies,
  tokens) and authorisation checks on who can see which question (IDOR). Tests with known payloads.
  """,
  """
  Parameterised queries and output escaping/sanitising covered, but misses CSP, Markdown-specific
  vectors (links, raw HTML), or other channels such as email.
  """,
  """
  Relies on client-side validation or a blacklist of `<script>`; cannot explain the difference
  between escaping and sanitising.
  """)

q("tech-password-storage-and-sessions", T, "Storing passwords and managing sessions", 15, "medium",
  "security", "mid senior", "engineering",
  """
  You are building login for a SaaS product. How do you store passwords, and how do you manage
  sessions after login? Compare server-side sessions with JWT access tokens, including logout and
  "log out everywhere".
  """,
  """
  Passwords: a slow, salted, memory-hard hash (Argon2id, or bcrypt/scrypt) with tuned parameters,
  never encryption or fast hashes; breached/common password checks, rate limiting and lockout
  with care about user enumeration. Sessions: random opaque token in a `Secure; HttpOnly;
  SameSite` cookie, stored hashed server-side, rotated on login (fixation), idle and absolute
  expiry, revocable instantly. JWTs: stateless and fast to verify but hard to revoke, so short
  expiry plus refresh tokens with rotation and reuse detection; avoid localStorage for tokens;
  verify `alg`, audience and expiry. MFA and re-authentication for sensitive actions.
  """,
  """
  Correct password hashing and a reasonable session approach, but shallow on revocation or cookie
  attributes.
  """,
  """
  MD5/SHA-256 without salt or reversible encryption; long-lived JWTs in localStorage with no
  revocation story.
  """)

q("tech-multi-tenant-data-isolation", T, "Isolating tenants' data in a shared database", 20, "hard",
  "security postgresql system-design", "senior staff_plus", "engineering",
  """
  A B2B SaaS product keeps all customers (tenants) in one PostgreSQL database. A bug in one query
  once returned another tenant's candidates. How would you make cross-tenant leaks structurally
  unlikely, and how would you test that they cannot happen?
  """,
  """
  Compares models (shared tables with `tenant_id`, schema per tenant, database per tenant) and
  their trade-offs. Defence in depth: tenant id from the authenticated context only, never from
  the request body; a data-access layer that requires it; PostgreSQL row-level security with
  `FORCE ROW LEVEL SECURITY` and a per-transaction setting, with the app role not owning tables;
  composite keys/foreign keys including `tenant_id`; tenant-scoped caches, object storage prefixes
  and search indexes. Tests: automated cross-tenant tests for every endpoint, RLS tests, and
  static checks or linting for queries without tenant filters; audit logging.
  """,
  """
  Uses `tenant_id` filtering consistently with a review process, knows RLS exists, but tests or
  non-database stores (cache, search, files) are not addressed.
  """,
  """
  Relies on developers remembering the WHERE clause, or trusts a tenant id sent by the client.
  """)

q("tech-testing-strategy-for-a-service", T, "A testing strategy for a backend service", 15, "medium",
  "testing ci-cd", "mid senior", "engineering",
  """
  You join a team whose backend service has only a handful of slow end-to-end tests that often
  fail for unrelated reasons, and releases break things regularly. What testing strategy would you
  put in place over the next quarter, and in what order?
  """,
  """
  Proposes a balanced suite: fast unit tests for domain logic (pure functions, state machines),
  integration tests against real dependencies in containers (database, queue) rather than mocks
  of them, contract tests for APIs between services, and a few critical end-to-end journeys.
  Prioritises by risk and recent incidents, makes tests deterministic (injected clocks, no sleeps,
  hermetic data), quarantines and fixes flaky tests with ownership, runs tests in CI on every
  change with a time budget. Adds production safety nets: canaries, feature flags, monitoring.
  Measures progress (escaped defects, lead time), not coverage percentage alone.
  """,
  """
  Describes the test pyramid correctly and adds unit and integration tests, but no plan for
  flakiness or prioritisation.
  """,
  """
  Adds more end-to-end tests, or mandates 100% coverage as the goal; mocks everything.
  """)

q("tech-debugging-a-flaky-test", T, "Tracking down a flaky test", 10, "medium",
  "testing debugging", "junior mid", "engineering",
  """
  A test passes on your machine but fails about one run in twenty in CI. How do you find the
  cause? List the usual causes of flakiness and how each is fixed.
  """,
  """
  Reproduces by running it in a loop, in random order, in parallel, with CI-like resources; reads
  the failure output and logs across failures for a pattern. Causes and fixes: timing and sleeps
  (wait for a condition, inject a clock), test order dependence and shared state (isolate data,
  reset fixtures), concurrency races in the code itself, time zone/locale/date boundaries,
  random data without a seed, unordered collections asserted in order, network or external
  services (fakes), port conflicts (port 0), resource limits. Treats flakiness as a possible real
  bug, not only a test problem.
  """,
  """
  Reruns to reproduce and knows several causes, but suggests increasing timeouts or retries as the
  main fix.
  """,
  """
  Marks it as skipped or adds automatic retries and moves on.
  """)

q("tech-what-makes-a-good-unit-test", T, "What makes a good unit test", 10, "easy",
  "testing python", "intern junior", "engineering",
  """
  Here is a function:

  ```python
  def shipping_cost(weight_kg: float, express: bool) -> int:
      # cents: 500 base, +100 per started kg above 1 kg, express doubles the total
      ...
  ```

  Which test cases would you write for it, and why those? What makes a unit test good or bad in
  general?
  """,
  """
  Picks cases by boundaries and partitions: 0 and negative weight (what should happen? asks or
  proposes raising), exactly 1 kg, just above 1 kg (1.01 -> started kg), 2 kg exactly, a large
  weight, express true/false, floating-point edge cases. Good tests: one behaviour each with a
  descriptive name, deterministic and fast, independent of each other, test behaviour not
  implementation, clear arrange-act-assert, failures that explain themselves. Notes the spec's
  ambiguity ("started kg") and that a test documents it.
  """,
  """
  Several sensible cases including a boundary, general qualities of good tests listed, but misses
  invalid input or the ambiguous rule.
  """,
  """
  One happy-path test, or tests that reproduce the implementation's arithmetic; cannot say what
  makes a test good.
  """)

q("tech-git-merge-rebase-undo", T, "Merge, rebase and undoing mistakes in Git", 10, "easy",
  "git", "intern junior", "engineering data",
  """
  Explain the difference between `git merge` and `git rebase` for bringing your feature branch up
  to date with `main`. Then: you pushed a commit to a shared branch that contains a bug (or,
  worse, a secret). How do you undo it in each case?
  """,
  """
  Merge creates a merge commit and keeps history as it happened; rebase replays commits on top of
  the new base for a linear history but rewrites commit ids, so never rebase shared branches that
  others have pulled. Resolving conflicts in both. Bug on a shared branch: `git revert` (new commit
  undoing it), not reset + force push. Secret: revoke/rotate the credential immediately (it must
  be treated as leaked), then remove it from history with a history-rewriting tool if needed and
  coordinate with the team; add secret scanning/pre-commit hooks.
  """,
  """
  Correct merge vs rebase explanation and `git revert`, but for the secret only removes it from
  history without rotating it.
  """,
  """
  Force-pushes shared branches to undo, or thinks deleting the file in a new commit removes the
  secret.
  """)

q("tech-linux-high-load-investigation", T, "Investigating a Linux server under high load", 15, "medium",
  "linux debugging performance", "mid senior", "engineering",
  """
  A Linux VM running a service reports a load average of 40 on 8 cores and requests are slow.
  Walk me through your first ten minutes: which commands, what you look for, and how you decide
  whether the problem is CPU, memory, disk or network.
  """,
  """
  Knows load average counts runnable and uninterruptible (D state, usually I/O) tasks, so high
  load is not necessarily CPU. Uses `uptime`, `top`/`htop` (us/sy/wa/st, per-process), `vmstat 1`
  (run queue, swapping, wa), `iostat -x` (await, utilisation), `free -m` and `dmesg` (OOM killer),
  `ss -s`/`ss -tan` (connection states), `pidstat`, and `perf`/flame graphs for hot CPU. Mentions
  steal time on VMs and cgroup throttling in containers. Forms hypotheses and checks recent
  changes/deploys; mitigates first if users are hurting.
  """,
  """
  Uses top and a couple of other tools sensibly, but treats load as CPU only or misses I/O wait
  and memory pressure.
  """,
  """
  Restarts the server or the service as the first and only step; does not know what load average
  means.
  """)

q("tech-what-happens-when-you-open-a-url", T, "What happens when you open a URL", 15, "easy",
  "networking", "intern junior", "engineering",
  """
  Describe, in as much depth as you can, what happens between typing `https://example.com/jobs`
  into a browser and seeing the page. Go deeper wherever you are most comfortable.
  """,
  """
  Covers in order: URL parsing and HSTS check, browser/OS caches, DNS resolution (recursive
  resolver, root/TLD/authoritative, TTLs), TCP handshake (or QUIC for HTTP/3), TLS handshake
  (certificate validation against trusted CAs, key exchange, SNI), HTTP request with headers and
  cookies, possibly CDN/load balancer/reverse proxy, server processing, response with status and
  caching headers, then parsing HTML, fetching CSS/JS/images, building DOM and CSSOM, layout and
  paint, JavaScript execution. Goes deep and correct on at least one layer.
  """,
  """
  Correct high-level sequence (DNS, TCP, TLS, HTTP, render) with some gaps or shallow depth
  everywhere.
  """,
  """
  Major steps missing or wrong (no DNS, confuses HTTP with HTML), or cannot go beyond "the server
  sends the page".
  """)

q("tech-caching-strategies-and-invalidation", T, "Caching strategies and cache invalidation", 15, "medium",
  "caching redis distributed-systems", "mid senior", "engineering",
  """
  A product page endpoint reads from PostgreSQL and is too slow under load. You decide to add a
  Redis cache. Describe how you would cache it, how entries stay correct when the data changes, and
  what can go wrong under high traffic.
  """,
  """
  Cache-aside with TTL as the default; invalidates or updates on writes (delete after commit, or
  events from the database/outbox), discussing race conditions (a stale value written back after
  invalidation; use versioning or short TTLs). Problems under load: stampede on expiry (request
  coalescing/single-flight, early probabilistic refresh, stale-while-revalidate), hot keys,
  penetration for missing keys (negative caching), cold start after a Redis restart, memory
  limits and eviction policy. Defines acceptable staleness with the product owner and measures the
  hit ratio.
  """,
  """
  Cache-aside with TTL and invalidation on write, aware of staleness, but not of stampedes or of
  the invalidation race.
  """,
  """
  Caches everything forever, or cannot explain how the cache learns about changes.
  """)

q("tech-slos-error-budgets-alerting", T, "SLOs, error budgets and alerting", 15, "hard",
  "observability incident-management", "senior staff_plus", "engineering",
  """
  Your team is paged dozens of times a week by CPU, memory and error-count alerts, most of which
  need no action. Propose how to define SLIs and SLOs for a user-facing API and how to alert on
  them instead. How does an error budget change how the team works?
  """,
  """
  SLIs from the user's view (ratio of successful requests, ratio under a latency threshold,
  measured at the load balancer or client), SLOs set with product (e.g. 99.9% over 28 days),
  alerting on error-budget burn rate with multiwindow thresholds (fast burn pages, slow burn
  tickets), symptom-based pages and cause-based dashboards; removes non-actionable alerts, every
  page has a runbook. Error budget policy: when spent, prioritise reliability work and slow risky
  launches; when plentiful, ship faster. Reviews SLOs regularly.
  """,
  """
  Knows SLI/SLO definitions and alerting on user-facing symptoms, but no burn-rate alerting or
  error-budget policy.
  """,
  """
  Raises thresholds or mutes alerts; 100% availability as the goal.
  """)

q("tech-deployment-strategies-and-migrations", T, "Deploying safely: canaries, flags and schema changes", 15, "hard",
  "ci-cd postgresql testing", "mid senior staff_plus", "engineering",
  """
  You need to rename a column `users.fullname` to `display_name` in a service that runs 20
  instances and deploys several times a day without downtime. How do you roll this out? More
  generally, compare rolling, blue-green and canary deployments and the role of feature flags.
  """,
  """
  Expand-contract: add the new column, deploy code that writes both and reads the new with
  fallback, backfill in batches, switch reads, stop writing the old, drop it later; each step
  independently deployable and reversible, old and new code running side by side. Migration
  safety in PostgreSQL: avoid long locks (`lock_timeout`, no table rewrite), indexes
  concurrently. Compares strategies (rolling: simple, mixed versions; blue-green: instant switch,
  double capacity, database shared; canary: small traffic share with automatic analysis and
  rollback). Feature flags decouple deploy from release, with cleanup of old flags.
  """,
  """
  Knows expand-contract in outline and the deployment strategies, but misses the mixed-version
  window or lock issues.
  """,
  """
  Renames the column and deploys at the same time, accepting errors or a maintenance window.
  """)

q("tech-race-conditions-and-deadlocks", T, "Race conditions and deadlocks", 15, "medium",
  "concurrency", "mid senior", "engineering",
  """
  Explain what a race condition and a deadlock are, with a concrete example of each from a
  backend service. How do you prevent them, and how do you find them when they happen in
  production?
  """,
  """
  Race: outcome depends on interleaving, e.g. check-then-act on "seat available" or a
  read-modify-write counter; prevented with atomic operations, locks with clear scope, database
  constraints, or single-writer designs. Deadlock: cycle of waits, e.g. two transactions
  updating rows A, B in opposite order; prevented with consistent lock ordering, timeouts, fewer
  locks held at once, lock-free/message-passing designs. Detection: database deadlock logs, thread
  dumps, race detectors (Go `-race`, TSan), stress tests, invariant checks. Knows the four
  Coffman conditions or equivalent reasoning.
  """,
  """
  Correct definitions and examples, one or two prevention techniques, limited on detection.
  """,
  """
  Confuses the two, or believes using threads safely means "add more locks" or "add sleeps".
  """)

q("tech-consistency-and-delivery-guarantees", T, "Consistency models and delivery guarantees", 20, "hard",
  "distributed-systems", "senior staff_plus", "engineering",
  """
  A team wants "exactly-once" processing of order events from a message broker into a database
  and a search index, and says strong consistency everywhere. What does "exactly once" actually
  mean here, what consistency do users need, and how would you design for it?
  """,
  """
  Explains that networks give at-most-once or at-least-once delivery; "exactly once" is achieved
  as effectively-once processing: at-least-once delivery plus idempotent consumers (dedupe by
  event id or upsert by version), or transactional writes of offsets with results. Uses the
  transactional outbox to publish reliably from the database. Distinguishes linearizability,
  read-your-writes and eventual consistency, applies CAP/PACELC: the search index can be eventually
  consistent with bounded lag while the order database is authoritative; ordering per key via
  partitioning; handles out-of-order events with versions. Mentions monitoring lag and
  reconciliation jobs.
  """,
  """
  Knows at-least-once plus idempotency and eventual consistency for the index, but misses the
  dual-write problem (outbox) or ordering.
  """,
  """
  Believes the broker guarantees exactly once end to end, or proposes a distributed transaction
  across everything without understanding the cost.
  """)

q("tech-kafka-partitions-and-consumers", T, "Kafka partitions, ordering and consumer groups", 15, "medium",
  "kafka distributed-systems", "mid senior", "engineering data",
  """
  Events about customer accounts must be processed in order per account, but overall throughput
  must scale to 50,000 events per second. How do you design the topic, producers and consumers
  in Kafka? What happens during a consumer rebalance, and how do you handle a message that always
  fails?
  """,
  """
  Partition by account id as the key (ordering is per partition only), enough partitions for
  target parallelism (consumers in a group at most the partition count), producer with
  `acks=all` and idempotence enabled. Consumers commit offsets after processing (at-least-once)
  with idempotent handlers; rebalances pause consumption and can replay uncommitted messages;
  cooperative-sticky assignment reduces disruption. Poison messages: bounded retries, then a
  dead-letter topic with alerting, without blocking the partition forever; retry topics with
  delay. Mentions that changing partition count remaps keys.
  """,
  """
  Keys by account and uses consumer groups correctly, but vague on offsets/rebalances or poison
  messages.
  """,
  """
  Uses a single partition for ordering (no scale) or random keys (no ordering); does not know
  what a consumer group is.
  """)

q("tech-aws-iam-least-privilege", T, "Least privilege with AWS IAM", 15, "medium",
  "aws security", "mid senior", "engineering",
  """
  A service running on AWS uses an access key of an IAM user with `AdministratorAccess`, stored
  in an environment file, to read and write one S3 bucket. What are the risks, and how would you
  set it up properly?
  """,
  """
  Risks: long-lived static keys that leak (repos, logs, images) give full account control; no
  attribution. Proper setup: an IAM role assumed by the workload (instance profile, ECS task role,
  EKS IRSA/pod identity) giving temporary credentials; a policy scoped to the bucket ARN and the
  needed actions (`s3:GetObject`, `s3:PutObject` on `arn:aws:s3:::bucket/*`), bucket policy and
  Block Public Access, encryption (SSE-KMS with key policy), CloudTrail logging, rotation and
  removal of the old key, and checking policies with IAM Access Analyzer. Mentions separate
  accounts/environments and permission boundaries or SCPs.
  """,
  """
  Replaces the key with a role and a narrower policy, but the policy is still broad (`s3:*` on
  all buckets) or logging/public-access controls are missing.
  """,
  """
  Suggests rotating the admin key or moving it to another file; does not see the blast radius.
  """)

q("tech-terraform-state-and-drift", T, "Terraform state, locking and drift", 10, "medium",
  "terraform aws ci-cd", "mid senior", "engineering",
  """
  Your team manages infrastructure with Terraform. Explain what the state file is and why remote
  state with locking matters. Someone changed a security group by hand in the console: what
  happens on the next `terraform plan`, and how should the team prevent and handle such drift?
  """,
  """
  State maps resources in code to real objects and caches attributes; it can contain secrets, so
  it goes in an encrypted remote backend (S3 + locking, Terraform Cloud) with restricted access;
  locking prevents concurrent applies corrupting it. The plan shows the manual change as drift and
  proposes reverting it; decide whether to codify the change or revert. Prevention: changes only
  through reviewed pull requests and CI applies, read-only console access, scheduled drift
  detection, `import` blocks for adopting resources, small state files per component, and care
  with `terraform state` commands.
  """,
  """
  Knows remote state and locking and that plan shows drift, but not the secrets-in-state issue or
  a process to prevent drift.
  """,
  """
  Keeps state in git or on a laptop, or edits the state file by hand to make the plan clean.
  """)

q("tech-web-accessibility-fundamentals", T, "Building an accessible web form", 10, "medium",
  "accessibility html react", "junior mid", "engineering design",
  """
  You are building the form where candidates answer interview questions. Some candidates use
  screen readers or only a keyboard. What do you do to make the form accessible, and how do you
  test it?
  """,
  """
  Semantic HTML first (`<label for>`, `<button>`, `<fieldset>/<legend>`, headings), visible focus
  and logical tab order, no keyboard traps, errors announced and linked to fields
  (`aria-describedby`, `aria-invalid`, a live region for a summary), not relying on colour alone,
  contrast ratios per WCAG 2.2 AA, timers that can be extended (important for timed interviews),
  `prefers-reduced-motion`. ARIA only when native elements do not suffice. Tests with keyboard
  only, a screen reader (NVDA/VoiceOver), automated checks (axe) in CI, and real users.
  """,
  """
  Labels, keyboard access and contrast covered, with automated testing, but misses error
  announcement, time limits, or over-relies on ARIA.
  """,
  """
  Adds `aria-label` everywhere or uses `div`s with click handlers; thinks accessibility is only
  for blind users or a final QA step.
  """)

q("tech-css-layout-flexbox-grid", T, "Page layout with Flexbox and Grid", 10, "easy",
  "css html", "intern junior", "engineering design",
  """
  Describe how you would build a dashboard layout with a fixed-width sidebar, a header, and a
  main area showing a responsive grid of cards (one column on phones, up to four on wide
  screens). When do you use Flexbox and when CSS Grid?
  """,
  """
  Grid for the two-dimensional page frame (`grid-template-columns: 240px 1fr`, areas for header
  and main) and for the cards (`repeat(auto-fill, minmax(16rem, 1fr))` with `gap`), Flexbox for
  one-dimensional alignment inside components (toolbars, card content). Mobile-first media or
  container queries to collapse the sidebar; relative units, `min-width: 0` for overflowing
  flex/grid children, no fixed heights. Mentions keeping source order logical for accessibility.
  """,
  """
  Workable layout using one of the two systems with media queries; can explain the basic
  difference between Flexbox and Grid.
  """,
  """
  Floats, absolute positioning or fixed pixel widths everywhere; cannot explain when to use
  either system.
  """)

q("tech-code-review-what-to-look-for", T, "Reviewing a pull request", 15, "medium",
  "code-review communication", "junior mid senior", "engineering",
  """
  Review this handler from a pull request as you would at work. What comments would you leave,
  in what order of importance, and how would you phrase the most important one?

  ```python
  @app.post("/invitations/<id>/resend")
  def resend(id):
      inv = db.query(f"SELECT * FROM invitations WHERE id = '{id}'")[0]
      send_email(inv["email"], render("invite.html", inv))
      db.execute(f"UPDATE invitations SET sent_count = {inv['sent_count'] + 1} WHERE id = '{id}'")
      return {"ok": True}
  ```
  """,
  """
  Prioritises: SQL injection (parameterise), missing authorisation (can this user resend this
  organisation's invitation? IDOR), crash on unknown id (404 instead of IndexError -> 500), lost
  update on `sent_count` (atomic increment), no rate limit on resends (spam/abuse), sending the
  email inside the request before the DB write (ordering, retries; outbox or job queue), status
  checks (resend an accepted invitation?), missing tests. Phrases comments as specific,
  explained and kind, separates blocking issues from nits, and suggests a fix.
  """,
  """
  Catches injection and several correctness issues but misses authorisation or rate limiting, or
  mixes nits with blockers.
  """,
  """
  Comments on naming and style only, or approves it; harsh or vague comments ("this is bad").
  """)

q("tech-production-memory-growth-triage", T, "A service whose memory keeps growing", 15, "medium",
  "debugging observability performance", "senior", "engineering",
  """
  A containerised service (any language) is OOM-killed by Kubernetes every few hours. Restarting
  hides the problem. Describe how you would triage it: what you measure, how you tell a leak from
  legitimate growth, and how you protect users while you investigate.
  """,
  """
  Mitigates first (raise limits temporarily, more replicas, scheduled restarts with alerts) while
  investigating. Correlates memory with traffic, deploys and specific endpoints using metrics;
  distinguishes RSS from language heap (native allocations, thread stacks, page cache in cgroup
  accounting, fragmentation, GC settings unaware of container limits); profiles in a staging
  replay or with continuous profiling in production; compares heap snapshots over time; checks
  unbounded caches, queues and per-connection buffers. Confirms the fix with a load/soak test and
  adds memory alerts relative to limits.
  """,
  """
  Reasonable heap-profiling plan, but no mitigation or no distinction between heap and container
  memory.
  """,
  """
  Only increases the memory limit or schedules restarts permanently.
  """)

q("tech-monolith-or-microservices", T, "When to split a monolith into services", 15, "hard",
  "microservices system-design", "senior staff_plus", "engineering",
  """
  A 40-engineer company with one large monolith wants to move to microservices because "deploys
  are slow and teams step on each other". How do you evaluate whether that is the right move, and
  if parts should be split, how do you choose them and do it?
  """,
  """
  Separates the real problems (slow CI, coupling, ownership, release coordination) from the
  architecture; considers a modular monolith first (enforced module boundaries, faster builds,
  ownership). Splits only where there is a clear bounded context, different scaling or
  reliability needs, or team autonomy gains; uses the strangler pattern, data ownership per service
  (no shared tables), contracts, and accepts the costs: network failures, distributed
  transactions/sagas, observability, on-call, platform investment. Sequences the work and
  defines success metrics (lead time, change failure rate).
  """,
  """
  Balanced pros and cons and sensible candidate services, but shallow on data ownership or
  migration path.
  """,
  """
  Microservices as the obvious answer, one service per table or per developer, or a big-bang
  rewrite.
  """)

q("tech-redis-data-structures-and-locks", T, "Using Redis beyond a simple cache", 10, "medium",
  "redis distributed-systems", "mid senior", "engineering",
  """
  Name three problems you would solve with Redis data structures other than plain key-value
  caching and how. Then: a colleague wants to use a Redis lock (`SET key value NX PX 30000`) to
  make sure a nightly billing job runs only once across instances. What are the pitfalls?
  """,
  """
  Examples: leaderboards with sorted sets, rate limiting with INCR+EXPIRE or Lua scripts, queues
  with lists/streams and consumer groups, deduplication with sets or HyperLogLog for approximate
  counts, sessions with hashes and TTLs. Lock pitfalls: the holder can pause (GC, network) past
  the expiry so two workers run; release must check the token (Lua compare-and-delete);
  failover can lose the key with async replication; hence a fencing token checked by the
  resource, or prefer database constraints/advisory locks or an idempotent job design for
  correctness-critical work like billing.
  """,
  """
  Good examples of data structures and knows to use a unique value and TTL, but not the pause
  and failover problems.
  """,
  """
  Only knows GET/SET; believes the lock is safe because Redis is single-threaded.
  """)

q("tech-choosing-data-structures", T, "Choosing the right data structure", 10, "easy",
  "data-structures algorithms", "intern junior", "engineering",
  """
  For each situation, which data structure would you use and what is the time complexity of the
  key operations?

  1. Checking whether a username is already taken among 10 million users.
  2. Processing support tickets, always taking the most urgent one next.
  3. Keeping the last 100 log lines in memory.
  4. Finding all events between two timestamps, repeatedly.
  5. Undo history in an editor.
  """,
  """
  1. Hash set: O(1) average lookup (mentions case normalisation or a database unique index in
  real systems). 2. Priority queue/binary heap: O(log n) push and pop, ties by arrival time.
  3. Ring buffer or deque with a max length: O(1) append/evict. 4. Sorted array with binary
  search or a balanced tree/B-tree index: O(log n + k). 5. Stack (two stacks for redo): O(1).
  Justifies each choice and mentions average vs worst case for hashing.
  """,
  """
  Mostly correct choices with complexities, one or two weaker picks (e.g. a list scan for 4)
  corrected with a hint.
  """,
  """
  Uses arrays/lists for everything with linear scans; cannot state complexities.
  """)

q("tech-big-o-of-code-snippets", T, "Estimating the complexity of code", 10, "easy",
  "algorithms python", "intern junior", "engineering",
  """
  What is the time complexity of each function, and how would you improve the first one?

  ```python
  def has_duplicates(items):
      for i in range(len(items)):
          for j in range(i + 1, len(items)):
              if items[i] == items[j]:
                  return True
      return False

  def count_bits(n):
      count = 0
      while n > 0:
          count += n & 1
          n //= 2
      return count

  def build(words):
      s = ""
      for w in words:
          s = s + w + ","
      return s
  ```
  """,
  """
  1. O(n^2) comparisons; improve with a set, O(n) average time and O(n) memory (or sort, O(n log
  n) and O(1) extra). 2. O(log n) iterations (number of bits). 3. Potentially O(total length x
  number of words) because strings are immutable and each concatenation copies (CPython sometimes
  optimises it in place, but `",".join(words)` is the reliable O(total) fix). Explains the
  reasoning, not just the labels, and mentions space complexity.
  """,
  """
  Correct on 1 and 2 and the set improvement; unsure about string concatenation until prompted.
  """,
  """
  Counts lines of code, calls everything O(n), or cannot improve the nested loop.
  """)

q("tech-web-performance-core-web-vitals", T, "Making a slow web page fast", 15, "medium",
  "javascript performance react", "mid senior", "engineering",
  """
  The candidate portal's landing page takes 6 seconds to become usable on a mid-range phone on 4G.
  How do you measure what is slow and what would you change? Refer to Core Web Vitals where useful.
  """,
  """
  Measures with field data (RUM, CrUX) and lab tools (Lighthouse, WebPageTest, the Performance
  panel) on throttled devices; uses LCP, INP and CLS to locate problems. Fixes: reduce and split
  JavaScript (route-based code splitting, remove heavy dependencies, defer third-party scripts),
  serve critical HTML fast (SSR/static, CDN, caching headers, compression), optimise the LCP image
  (size, modern formats, preload, no lazy-loading above the fold), fonts (`font-display`, subset),
  reserve space for images to avoid layout shift, break up long tasks for INP. Sets a performance
  budget in CI.
  """,
  """
  Uses Lighthouse and proposes several valid fixes, but without field data or without tying fixes
  to the specific metrics.
  """,
  """
  Suggests a bigger server or generic "minify everything" without measuring.
  """)

q("tech-zero-downtime-large-table-change", T, "Adding a NOT NULL column to a huge table", 10, "hard",
  "postgresql sql", "senior staff_plus", "engineering data",
  """
  You must add a `region` column that is NOT NULL, with values derived from another table, to a
  PostgreSQL table with 800 million rows that is written to constantly. How do you do it without
  blocking writes for more than a moment?
  """,
  """
  Add the column nullable (instant; a constant default is also metadata-only since PostgreSQL
  11), deploy code writing it for new rows, backfill in small batches by primary-key ranges with
  throttling and progress tracking (watching replication lag and vacuum), add a `CHECK (region IS
  NOT NULL) NOT VALID` constraint then `VALIDATE CONSTRAINT` (no long exclusive lock), then `SET
  NOT NULL` which can use the validated check (PostgreSQL 12+) and drop the check. Uses
  `lock_timeout` with retries for DDL so a waiting ALTER does not block the queue behind it.
  """,
  """
  Nullable column + batched backfill + setting NOT NULL, but unaware that `SET NOT NULL` scans
  the table under lock or of `lock_timeout`.
  """,
  """
  Runs one `UPDATE` of all rows in a single transaction, or `ALTER ... ADD COLUMN ... NOT NULL
  DEFAULT (subquery)` directly.
  """)


# =============================================================================================
# System design
# =============================================================================================

q("sd-distributed-rate-limiter", SD, "Design a distributed API rate limiter", 40, "hard",
  "system-design distributed-systems redis", "mid senior staff_plus", "engineering",
  """
  Design the rate limiter for a public API served by 50 stateless gateway instances. Limits are
  per API key and per endpoint (e.g. 100 requests per minute, bursts allowed), configurable per
  customer plan, and clients must be told when they can retry.

  Cover the algorithm, where the state lives, what happens when that store is slow or down, and
  how you would roll it out.
  """,
  """
  Compares algorithms (fixed window and its boundary burst, sliding log memory cost, sliding
  window counter, token bucket for bursts) and picks one with reasons. Shared state in Redis with
  atomic Lua scripts or INCR/EXPIRE, key design per key+endpoint+window, or local token buckets
  with periodic sync for lower latency at the cost of accuracy. Latency budget (a round trip per
  request; pipelining, local pre-check). Failure mode decided explicitly (fail open with local
  fallback limits for availability vs fail closed for abuse-sensitive endpoints), Redis sharding by
  key, hot keys. Responses: 429 with `Retry-After` and `RateLimit-*` headers. Rollout in
  shadow/log-only mode first, per-plan config distribution, metrics on rejections.
  """,
  """
  A workable design with a named algorithm and Redis, but weak on failure modes, atomicity of the
  check-and-increment, or client signalling.
  """,
  """
  Per-instance counters only (limit becomes 50x), no burst handling, or no idea what happens when
  the store fails.
  """)

q("sd-url-shortener", SD, "Design a URL shortener", 35, "medium",
  "system-design caching", "junior mid senior", "engineering",
  """
  Design a URL shortening service (like short links in marketing emails): create a short code for
  a long URL, redirect visitors, and show click counts per link. Assume 10 million new links per
  month and 1 billion redirects per month, heavily skewed to recent links.
  """,
  """
  Estimates load (about 4 writes/s, about 400 redirects/s average with peaks 10x; storage for
  links over years) and lets it drive the design. Code generation: counter/ID allocator encoded
  in base62 (ranges per node) vs random codes with collision check; length calculation; no
  guessable sequence if links are private. Storage: key-value or relational table keyed by code;
  redirects served from cache/CDN edge with 301 vs 302 trade-off (cacheability vs counting).
  Click counting asynchronously (log/queue -> aggregation), not a row update per click. Abuse:
  malicious URL scanning, rate limits, custom aliases, expiry, deletion.
  """,
  """
  Reasonable design with base62 codes, a database and a cache, but counting clicks synchronously
  or missing capacity estimates or abuse handling.
  """,
  """
  Hashes URLs and truncates without handling collisions, no caching for a read-heavy system, or
  cannot estimate the load.
  """)

q("sd-background-job-queue", SD, "Design a background job processing system", 40, "hard",
  "system-design distributed-systems postgresql", "senior staff_plus", "engineering",
  """
  Design the job system for a SaaS product: jobs like "send invitation email", "sync ATS data",
  "generate report". Requirements: jobs survive crashes, can be scheduled for later, retried with
  backoff, some must not run concurrently for the same customer, and operators need to see and
  manage stuck or failed jobs. Peak: 2,000 jobs per second.
  """,
  """
  Durable queue choice with reasons (PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` for moderate
  volume and transactional enqueue with business data; a broker such as SQS/RabbitMQ/Kafka for
  higher volume). Leases/visibility timeouts with heartbeats so crashed workers' jobs are retried;
  at-least-once execution with idempotent handlers; retries with exponential backoff and jitter
  and a dead-letter state; scheduled jobs via a run-at column or delay queue; per-customer
  concurrency keys (advisory locks or a concurrency table); priorities and fairness between
  tenants; transactional outbox for enqueueing. Operations: metrics (queue depth, age, failure
  rate), a UI to retry/cancel, payload size limits, retention. Scaling workers independently.
  """,
  """
  Durable queue, workers, retries and dead letters covered; concurrency per customer or lease
  handling is hand-wavy.
  """,
  """
  In-memory queue in the web process, no retry or crash story, or assumes exactly-once execution.
  """)

q("sd-social-news-feed", SD, "Design a home feed for a social product", 45, "hard",
  "system-design caching distributed-systems", "senior staff_plus", "engineering",
  """
  Design the home feed for a professional social network with 50 million daily users: the feed
  shows recent posts from people and companies a user follows, ranked, with pagination. Some
  accounts have 10 million followers.
  """,
  """
  Clarifies freshness and ranking needs, estimates read/write rates. Compares fan-out on write
  (precomputed per-user feed lists in a cache, fast reads, expensive for celebrities) with fan-out
  on read (merge at read time), and chooses a hybrid: push for normal accounts, pull for
  high-follower accounts merged at read time. Storage: posts in a durable store, feed caches with
  bounded length, social graph service. Ranking as a separate stage (candidate generation then
  scoring), cursor-based pagination stable under inserts, deletion and privacy changes propagated,
  backfill for inactive users on login. Discusses hot partitions, cache memory estimates and
  degradation (serve chronological when ranking is down).
  """,
  """
  Identifies fan-out on write vs read and caches feeds, but misses the celebrity problem or
  pagination stability.
  """,
  """
  One SQL query joining follows and posts for every request at this scale, with no caching or
  precomputation.
  """)

q("sd-payments-idempotent-checkout", SD, "Design checkout payments that never double-charge", 45, "hard",
  "system-design distributed-systems postgresql", "senior staff_plus", "engineering",
  """
  Design the payment flow for a subscription checkout that uses an external payment provider.
  The product must never charge a customer twice, must not lose a successful charge, and must
  keep an auditable ledger. Consider client retries, provider timeouts and webhooks that arrive
  late, twice or out of order.
  """,
  """
  Payment intent/state machine persisted before calling the provider (created -> pending ->
  succeeded/failed/unknown), idempotency key from the client stored with the intent and passed to
  the provider; timeouts lead to an "unknown" state resolved by querying the provider or waiting
  for webhooks, never by blind retry with a new key. Webhooks verified (signature), deduplicated by
  event id, applied idempotently by state transitions that ignore stale events. Double-entry,
  append-only ledger; reconciliation job against provider reports; outbox for downstream effects
  (provisioning, email). Handles refunds and partial failures; PCI scope minimised with the
  provider's hosted fields/tokens. Monitoring of stuck intents.
  """,
  """
  Idempotency keys and webhook handling present, but the timeout/unknown state or reconciliation
  is missing.
  """,
  """
  Calls the provider and updates the database in sequence with retries, no idempotency; trusts
  webhooks without verification.
  """)

q("sd-event-ingestion-pipeline", SD, "Design an analytics event ingestion pipeline", 45, "hard",
  "system-design etl kafka data-warehousing", "senior staff_plus", "engineering data",
  """
  Design the pipeline that collects product analytics events (page views, clicks, interview
  started/finished) from web and mobile clients, about 100,000 events per second at peak, and
  makes them queryable by analysts within 15 minutes, with daily tables trusted for reporting.
  """,
  """
  Collection endpoint that validates and batches, buffers to a durable log (Kafka/Kinesis)
  partitioned sensibly; schema registry/contracts with versioning; enrichment and deduplication by
  event id; late and out-of-order events handled with event time and watermarks. Lands raw data in
  object storage (partitioned Parquet) and loads into a warehouse; streaming micro-batches for the
  15-minute SLA plus idempotent daily batch rebuilds for trusted tables. Data quality checks,
  PII handling (consent, hashing, deletion requests), backfills and replay from the log,
  monitoring of lag and volume anomalies, cost awareness (storage tiers, compaction).
  """,
  """
  Reasonable path from clients through a queue to a warehouse, but thin on schema evolution,
  late data or quality checks.
  """,
  """
  Clients write directly into the warehouse or a relational database per event, no buffering or
  replay.
  """)

q("sd-notification-delivery-service", SD, "Design a multi-channel notification service", 35, "medium",
  "system-design distributed-systems", "mid senior", "engineering",
  """
  Design a service that sends notifications by email, SMS and in-app messages for several
  products (interview invitations, reminders, results). Users have channel preferences and quiet
  hours; some messages are urgent, others can be batched into digests. Providers sometimes fail
  or throttle.
  """,
  """
  API accepting a notification intent (template id, recipient, data, idempotency key), durable
  queue, per-channel workers, preference and quiet-hour evaluation, templating with localisation,
  priority queues so reminders do not delay urgent messages, digest aggregation with scheduled
  jobs. Provider abstraction with retries, backoff, failover between providers and respect for
  rate limits; deduplication; delivery status tracking via provider webhooks (bounces,
  complaints suppress future sends); unsubscribe and legal compliance; observability per channel.
  """,
  """
  Queue-based design with preferences and retries; weak on priorities, deduplication or bounce
  handling.
  """,
  """
  Sends synchronously from the calling product with no retry or preference handling.
  """)

q("sd-realtime-chat", SD, "Design real-time chat between recruiters and candidates", 40, "hard",
  "system-design distributed-systems networking", "senior staff_plus", "engineering",
  """
  Design one-to-one and small-group chat between recruiters and candidates, in the browser and on
  mobile: real-time delivery, message history, read receipts, and offline users receiving push
  notifications. Expect 2 million daily active users.
  """,
  """
  Persistent connections (WebSocket, with fallback), a connection gateway tier tracking which
  server holds which user (presence registry), messages persisted first with a per-conversation
  sequence number then fanned out via pub/sub; clients ack and resync from their last sequence
  after reconnects (at-least-once delivery with client dedupe). Storage partitioned by
  conversation (wide-column or sharded SQL), read receipts as per-user cursors, push
  notifications for offline users, ordering per conversation, attachments via object storage with
  signed URLs. Scaling gateways, back-pressure, abuse and moderation, data retention for candidate
  privacy.
  """,
  """
  WebSockets plus a message store and pub/sub; reconnect/resync or ordering is unclear.
  """,
  """
  Clients poll the database every second, or messages are only in memory.
  """)

q("sd-file-upload-service", SD, "Design large file uploads for candidate submissions", 30, "medium",
  "system-design aws security", "mid senior", "engineering",
  """
  Candidates upload take-home project archives and video answers (up to 2 GB) from unreliable
  networks. Design the upload, storage, processing (virus scan, video transcoding) and secure
  access by reviewers.
  """,
  """
  Direct-to-object-storage uploads with pre-signed (multipart, resumable) URLs so files do not
  pass through app servers; size and type limits; upload-complete event triggers a processing
  pipeline (queue -> scanning -> transcoding) with states visible to the user; files quarantined
  until scanned. Access via short-lived signed URLs after an authorisation check, tenant-scoped
  keys, encryption at rest, retention and deletion policies (privacy), CDN for video playback,
  idempotent processing and retries, cost controls (lifecycle rules, storage tiers).
  """,
  """
  Uses object storage with signed URLs and a processing queue, but misses resumable uploads,
  quarantine or retention.
  """,
  """
  Uploads through the API server into the database or a local disk, with public file URLs.
  """)

q("sd-feature-flag-platform", SD, "Design a feature flag platform", 30, "medium",
  "system-design ci-cd", "mid senior", "engineering",
  """
  Design an internal feature flag system: product teams turn features on for percentages of
  users, specific organisations, or internal staff, and can kill a feature instantly. Flags are
  evaluated in backend services and in the browser.
  """,
  """
  Flag definitions and targeting rules in a control plane with audit log and permissions; SDKs
  evaluate locally from a cached ruleset pushed via streaming or polled (no network call per
  evaluation), deterministic percentage bucketing by hashing flag key + user id (sticky
  assignment), safe defaults when the service is unreachable, kill switch propagation time.
  Browser evaluation without leaking all rules (server-side evaluated payload). Integration with
  experimentation (exposure logging), flag lifecycle and cleanup of stale flags, tests with flags
  in both states.
  """,
  """
  Control plane + SDK with caching and percentage rollout, but no sticky hashing, defaults on
  failure or stale flag cleanup.
  """,
  """
  A database lookup per flag check, or random percentage per request so users flip between
  variants.
  """)

q("sd-web-crawler", SD, "Design a polite web crawler for job postings", 40, "hard",
  "system-design distributed-systems", "senior staff_plus", "engineering data",
  """
  Design a crawler that collects public job postings from 200,000 company career sites, refreshes
  them daily, detects new and removed postings, and extracts structured fields.
  """,
  """
  URL frontier with per-host queues and politeness (robots.txt, crawl-delay, concurrency per host,
  back-off on errors), scheduler prioritising by change frequency; fetchers with timeouts,
  conditional requests (ETag/Last-Modified), JavaScript rendering only when needed; dedup by
  canonical URL and content hashing; parsing via structured data (schema.org JobPosting) before
  heuristics; change detection and removal after repeated absence; storage of raw pages for
  reprocessing; monitoring per site; legal and terms-of-service considerations and opt-out.
  """,
  """
  Frontier, fetchers and parsers with basic politeness; weak on change detection or per-host
  scheduling.
  """,
  """
  A loop fetching all URLs as fast as possible from one machine; no politeness or dedup.
  """)

q("sd-metrics-monitoring-system", SD, "Design a metrics and alerting system", 45, "hard",
  "system-design observability distributed-systems", "staff_plus", "engineering",
  """
  Design an internal metrics platform (like Prometheus plus long-term storage) for 5,000
  services emitting 20 million active time series, with dashboards, 13 months retention and
  alerting that must keep working when parts of the infrastructure are down.
  """,
  """
  Collection (pull vs push, agents), cardinality control (label limits, per-team budgets) as the
  main scaling risk; time-series storage with compression (delta-of-delta, XOR), sharding by
  series hash, replication, downsampling for long retention to object storage; query layer with
  fan-out and caching; alert evaluation close to the data with its own high availability and
  independence from the systems it monitors (meta-monitoring, dead-man's switch); multi-tenancy
  and quotas. Capacity estimates for ingestion and storage.
  """,
  """
  Reasonable collection, storage and query layers; cardinality or alerting independence is
  missing.
  """,
  """
  Stores every sample as a row in a relational database; alerting depends on the same cluster
  it monitors.
  """)

q("sd-interview-scheduling", SD, "Design interview scheduling across calendars", 35, "medium",
  "system-design rest-api", "mid senior", "engineering product",
  """
  Design the scheduling feature of a hiring platform: a candidate picks a slot for a panel of
  three interviewers whose availability comes from Google and Microsoft calendars. Slots must not
  be double-booked, time zones must be correct, and changes in interviewers' calendars must be
  reflected.
  """,
  """
  Availability via calendar APIs (free/busy) with OAuth tokens stored securely, cached with push
  notifications/webhooks and periodic resync; slot computation as intersection of free intervals
  with working hours and buffers, stored in UTC with IANA time zones and DST-aware rendering.
  Booking as a short hold (reservation with expiry) then confirmation that writes calendar events
  idempotently; race between two candidates prevented with a database constraint or lock on
  interviewer time ranges (exclusion constraint). Handles API rate limits, token expiry,
  rescheduling/cancellation, and notifications.
  """,
  """
  Computes availability and books events, but double-booking prevention or time-zone handling is
  hand-wavy.
  """,
  """
  Asks interviewers to enter availability manually with local times, no concurrency control.
  """)

q("sd-recommendation-serving", SD, "Design a job recommendation system", 45, "hard",
  "system-design machine-learning data-modeling", "senior staff_plus", "data engineering",
  """
  Design the system that recommends relevant jobs to candidates on a jobs marketplace (5 million
  candidates, 500,000 open jobs, new jobs every minute). Cover data, models, serving with low
  latency, and how you know it works.
  """,
  """
  Two-stage architecture: candidate generation (embeddings with approximate nearest neighbour
  search, filters for location/eligibility, fresh jobs via content features for cold start) then
  a ranking model on richer features (online feature store with point-in-time-correct training
  data). Offline training pipeline, online serving with latency budget and caching, fallbacks.
  Evaluation: offline metrics (recall@k, NDCG) then online A/B tests on applies and hires, guardrails
  (diversity, fairness across groups, no discriminatory features), feedback loops and position
  bias, monitoring drift.
  """,
  """
  Sensible retrieval and ranking with an offline/online split, but weak on evaluation or
  cold start.
  """,
  """
  A single SQL query matching keywords, or an ML model with no plan for serving or evaluation.
  """)


# =============================================================================================
# Data: SQL, statistics, experimentation, machine learning, modelling, pipelines
# =============================================================================================

q("data-sql-window-running-totals", T, "SQL window functions: running totals and ranking", 15, "medium",
  "sql data-analysis", "junior mid senior", "data engineering",
  """
  Table `payments(customer_id, paid_at, amount)`. Write queries for:

  1. Each payment with the customer's running total up to and including it.
  2. Each customer's second-largest payment (customers with fewer than two payments are left out).
  3. The change in daily revenue versus the previous day.

  Explain how window functions differ from GROUP BY, and what the default window frame is.
  """,
  """
  1. `SUM(amount) OVER (PARTITION BY customer_id ORDER BY paid_at, <tie-breaker> ROWS BETWEEN
  UNBOUNDED PRECEDING AND CURRENT ROW)`. 2. `DENSE_RANK()`/`ROW_NUMBER()` in a subquery or CTE
  filtered to 2, with the tie semantics stated (second distinct amount vs second row). 3.
  Aggregate per day first, then `LAG(revenue) OVER (ORDER BY day)`, aware that missing days need a
  date series. Explains that windows keep rows while GROUP BY collapses them, and that with ORDER
  BY the default frame is `RANGE UNBOUNDED PRECEDING ... CURRENT ROW`, which includes peers with
  equal timestamps.
  """,
  """
  Correct queries for most parts with minor issues (tie handling, missing days) and a basic
  explanation of windows vs GROUP BY.
  """,
  """
  Uses correlated subqueries or self-joins for everything, or cannot write a window function.
  """)

q("data-sql-top-n-per-group-and-dedup", T, "Deduplicating rows and top-N per group in SQL", 10, "medium",
  "sql", "junior mid", "data engineering",
  """
  An import loaded `candidates(email, name, source, imported_at)` with duplicate emails (same
  person imported several times, with different capitalisation). Write a query that keeps only
  the most recent row per person, and then a statement that deletes the older duplicates. What
  would you check before running the delete?
  """,
  """
  Normalises the key (`lower(trim(email))`), uses `ROW_NUMBER() OVER (PARTITION BY lower(email)
  ORDER BY imported_at DESC, <tie-breaker>)` and keeps `rn = 1`; deletes by primary key/ctid of
  rows with `rn > 1` via a CTE. Before deleting: counts what will be removed, runs it in a
  transaction or on a copy, checks foreign keys referencing the rows (merge references first),
  backups, and adds a unique index on the normalised email afterwards to prevent recurrence.
  """,
  """
  Correct ROW_NUMBER approach but forgets case normalisation or tie-breaking; some safety checks.
  """,
  """
  Uses `DISTINCT` (which keeps all differing rows) or `GROUP BY email` with arbitrary columns;
  deletes without any checks.
  """)

q("data-ab-test-design", T, "Designing an A/B test", 20, "medium",
  "ab-testing statistics product-analytics", "mid senior", "data product",
  """
  The product team wants to test a new interview invitation email that they hope increases the
  share of candidates who start their interview. Design the experiment: unit of randomisation,
  metrics, sample size, duration, and the decision rule. What could invalidate the result?
  """,
  """
  Randomises by candidate (or by job/recruiter if there is interference), defines one primary
  metric (start rate within N days of invite) plus guardrails (completion, unsubscribe, spam
  complaints), computes sample size from baseline rate, minimum detectable effect, alpha and power
  (e.g. baseline 40%, MDE 2 points needs on the order of 10,000 per arm), fixes duration in full
  weeks, pre-registers the analysis. Threats: sample ratio mismatch, peeking, novelty effects,
  email deliverability differences, interference between arms, multiple comparisons,
  instrumentation bugs; runs an A/A test or SRM check.
  """,
  """
  Sensible randomisation and metric with an approximate sample size approach, but misses
  guardrails, peeking or SRM.
  """,
  """
  Compares before/after periods, or stops the test as soon as it looks significant.
  """)

q("data-p-values-and-power", T, "Explaining p-values, confidence intervals and power", 15, "medium",
  "statistics ab-testing", "junior mid senior", "data product",
  """
  An experiment reports: conversion 10.0% in control, 10.6% in treatment, p = 0.04, 95%
  confidence interval for the difference [0.02, 1.18] percentage points. Explain to a product
  manager what these numbers do and do not mean. Then: what is statistical power, and why does an
  underpowered test that comes out significant tend to overstate the effect?
  """,
  """
  p-value: probability of data at least this extreme if there were no true difference; not the
  probability the treatment works. CI: a range of effects compatible with the data; the true
  effect could be tiny (0.02 pp), so practical significance must be judged. Power: probability of
  detecting a true effect of a given size; low power means significant results are mostly the
  lucky overestimates (winner's curse / type M error) and false positives are a larger share.
  Mentions pre-specified sample size and that p = 0.04 with many tested metrics is weak evidence.
  """,
  """
  Mostly correct definitions with minor imprecision; explains power but not the exaggeration
  effect.
  """,
  """
  "There is a 96% chance the treatment is better", or treats significance as proof of a large
  effect.
  """)

q("data-experiment-pitfalls-peeking-novelty", T, "Peeking, novelty effects and sample ratio mismatch", 15, "hard",
  "ab-testing statistics", "senior staff_plus", "data product",
  """
  Your company's experimentation dashboard shows live p-values, and teams often stop tests the day
  they turn significant. Several "wins" did not hold up after launch. Diagnose what is going on
  and propose changes to the experimentation practice and platform.
  """,
  """
  Explains that repeated peeking inflates the false-positive rate well above alpha; proposes
  fixed-horizon tests with pre-registered duration, or sequential methods valid under continuous
  monitoring (alpha spending, always-valid p-values/mSPRT), CUPED variance reduction to shorten
  tests. Other causes: novelty/primacy effects (look at effects over time, long-term holdouts),
  multiple metrics and segments (corrections, one primary metric), SRM checks blocking analysis,
  regression to the mean of winners (shrinkage). Platform changes: guardrails in the tool,
  review of decisions, tracking realised post-launch impact.
  """,
  """
  Identifies peeking and suggests fixed durations, with some of the other pitfalls.
  """,
  """
  Suggests a lower significance threshold only, or sees nothing wrong with stopping early.
  """)

q("data-simpsons-paradox", T, "Reconciling contradictory aggregate and segment results", 10, "medium",
  "statistics data-analysis", "junior mid", "data product",
  """
  Interview completion rate rose from 60% to 63% for desktop users and from 40% to 42% for mobile
  users after a redesign, yet the overall completion rate fell from 55% to 50%. How is this
  possible, what would you check, and which number should the team report?
  """,
  """
  Simpson's paradox via a mix shift: the share of mobile users (lower completion) grew after the
  redesign, so the overall rate falls while each segment improves. Shows it with numbers (e.g.
  mobile share from 25% to about 62%). Checks whether the mix shift is caused by the redesign or by
  external factors (marketing channel, seasonality), whether segments are defined consistently,
  and whether the redesign itself pushes users to mobile. Reports segment results with the mix
  explanation, and a mix-adjusted overall number.
  """,
  """
  Recognises a composition effect and explains it qualitatively, without working numbers or the
  causal question.
  """,
  """
  Concludes the data must be wrong, or reports only the aggregate.
  """)

q("data-classification-metrics-precision-recall", T, "Precision, recall and choosing a threshold", 15, "medium",
  "machine-learning statistics", "junior mid senior", "data engineering",
  """
  A model flags fraudulent job applications: 1% of applications are fraudulent. It has 99% accuracy.
  Why is that number nearly meaningless? Which metrics would you use instead, and how would you
  choose the decision threshold with the trust-and-safety team?
  """,
  """
  A model predicting "never fraud" also has 99% accuracy. Uses precision, recall, F1 or F-beta,
  PR curve and PR-AUC (more informative than ROC-AUC under heavy imbalance), confusion matrix
  counts. Threshold chosen from costs: reviewer capacity (how many flags per day), cost of missed
  fraud vs false accusations of real candidates; evaluates at the operating point, calibrates
  probabilities, monitors precision/recall over time with labelled samples, considers fairness
  across groups.
  """,
  """
  Explains precision and recall and the imbalance problem, but threshold choice is generic
  (0.5 or maximise F1) without costs.
  """,
  """
  Accepts accuracy, or cannot define precision and recall.
  """)

q("data-overfitting-and-validation", T, "Overfitting, validation and cross-validation", 10, "easy",
  "machine-learning", "intern junior mid", "data",
  """
  Your model scores 0.98 on training data and 0.71 on held-out data. What is happening, and what
  would you try? How should data be split into training, validation and test sets, and when is a
  random split wrong?
  """,
  """
  Overfitting: high variance; remedies include more or better data, simpler models,
  regularisation, early stopping, feature selection, and checking for leakage-like artefacts.
  Validation set for tuning, test set touched once at the end; k-fold cross-validation for small
  data. Random splits are wrong for time-dependent data (use time-based splits), grouped data
  (same user in both sets: group k-fold), and when deployment distribution differs.
  """,
  """
  Identifies overfitting with some remedies and correct split roles, but misses time or group
  splits.
  """,
  """
  Tunes on the test set, or believes the training score is what matters.
  """)

q("data-ml-target-leakage", T, "Finding target leakage in a model", 15, "hard",
  "machine-learning data-analysis", "mid senior", "data",
  """
  A model predicting whether a candidate will accept a job offer reaches 0.97 AUC offline but
  performs barely better than random in production. Features include `days_since_last_contact`,
  `recruiter_notes_length`, `offer_letter_sent_at` and `final_salary`. What went wrong, and how
  would you audit and fix the pipeline?
  """,
  """
  Target leakage: features only known after (or because of) the outcome, e.g. final salary and
  recruiter notes updated after acceptance, or computed at training time on the full history
  rather than as of the prediction time. Audit: define the prediction moment, build features with
  point-in-time correctness (snapshot or as-of joins), check feature importance for suspicious
  dominance, compare offline and online feature distributions, time-based validation.
  Fix: feature store or logged serving features for training, remove leaky features, retrain and
  re-evaluate.
  """,
  """
  Identifies leakage in the obvious features but not the point-in-time construction problem.
  """,
  """
  Blames concept drift or suggests a more complex model.
  """)

q("data-imbalanced-classes", T, "Training on heavily imbalanced classes", 10, "medium",
  "machine-learning", "mid senior", "data",
  """
  You are building a classifier where the positive class is 0.5% of examples. What options do you
  have during training and evaluation, and what are their side effects?
  """,
  """
  Options: class weights in the loss, resampling (undersampling majority, oversampling, SMOTE)
  applied only to training folds, focal loss, collecting more positives or better features,
  anomaly detection framing. Side effects: resampling/weights distort predicted probabilities
  (recalibrate), oversampling can overfit duplicates. Evaluation with PR-AUC, recall at fixed
  precision, stratified splits, confidence intervals given few positives. Decision threshold from
  business costs.
  """,
  """
  Knows weighting and resampling and suitable metrics, but not the calibration side effect or
  leakage through resampling before splitting.
  """,
  """
  Oversamples before splitting into train/test, or evaluates with accuracy.
  """)

q("data-model-monitoring-drift", T, "Monitoring a model in production", 15, "hard",
  "machine-learning observability", "senior staff_plus", "data engineering",
  """
  A model that ranks candidates for recruiters has been live for a year. How do you know it still
  works? Design the monitoring, including what you do when labels arrive weeks late and how you
  watch for unfair outcomes.
  """,
  """
  Monitors inputs (feature drift with PSI/KL/statistical tests, missing values, schema changes),
  outputs (score distribution, selection rates), and system health; proxy metrics while labels are
  delayed (recruiter actions), then true performance by cohort once labels arrive. Fairness:
  selection rates and error rates across protected groups (e.g. four-fifths rule as a screen,
  equalised odds), with legal/ethics review; human oversight and explanation for recruiters.
  Retraining triggers and process, shadow deployment and champion-challenger, alert thresholds
  with owners, audit logs of model versions.
  """,
  """
  Drift and performance monitoring covered, fairness or delayed labels treated superficially.
  """,
  """
  Retrains on a schedule without monitoring, or tracks only latency and errors.
  """)

q("data-dimensional-model-star-schema", T, "Designing a star schema for hiring analytics", 20, "medium",
  "data-modeling data-warehousing sql", "mid senior", "data",
  """
  Design a warehouse model so that analysts can answer: time-to-hire per department and month,
  interview pass rates per question and seniority, and funnel conversion by source. Identify the
  fact tables, their grain, and the dimensions. How do you handle jobs that change department?
  """,
  """
  Declares the grain first: e.g. `fact_application_stage_event` (one row per application stage
  transition), `fact_interview_item_score` (one row per candidate per question), possibly an
  accumulating snapshot for applications with milestone dates. Conformed dimensions: date,
  job/department, candidate source, question (with version), seniority, recruiter. Surrogate keys,
  additive vs non-additive measures (rates computed from counts). Department changes via a type 2
  slowly changing dimension (effective dates), or snapshotting the department on the fact,
  depending on the question. Mentions PII minimisation in the warehouse.
  """,
  """
  Reasonable facts and dimensions but grain left implicit or SCD handling unclear.
  """,
  """
  One wide table per dashboard, or cannot define what a fact table's grain is.
  """)

q("data-slowly-changing-dimensions", T, "Slowly changing dimensions in practice", 10, "medium",
  "data-modeling data-warehousing", "mid senior", "data",
  """
  Explain slowly changing dimension types 1, 2 and 3 with an example from a CRM (e.g. a customer's
  plan and account manager). For type 2, show the columns you would add and how a fact row is
  joined to the right version.
  """,
  """
  Type 1 overwrites (no history), type 2 adds a new row per change with `valid_from`, `valid_to`
  (or is_current) and a surrogate key, type 3 keeps the previous value in an extra column. Type 2
  join: facts store the surrogate key valid at event time, or join on the natural key with
  `event_time >= valid_from AND event_time < valid_to` (half-open intervals, no gaps/overlaps).
  Chooses the type per attribute based on analysis needs; mentions late-arriving dimensions and
  implementation with merge statements or snapshot tools (e.g. dbt snapshots).
  """,
  """
  Correct descriptions of the types and a type 2 layout, with the join condition slightly off.
  """,
  """
  Cannot describe the types or always overwrites history.
  """)

q("data-idempotent-pipelines-and-backfills", T, "Idempotent data pipelines and backfills", 15, "medium",
  "etl airflow data-warehousing", "mid senior", "data engineering",
  """
  A daily job appends yesterday's orders into a warehouse table. Sometimes it runs twice after a
  retry and duplicates data; a bug fix now requires reprocessing the last 90 days. How would you
  redesign the job so reruns and backfills are safe?
  """,
  """
  Makes each run a deterministic function of its logical date/partition: overwrite the partition
  (delete+insert in one transaction, `INSERT OVERWRITE`, or MERGE on a natural key) instead of
  appending; reads inputs by logical date, not "now"; no side effects outside the target.
  Backfills run the same code per partition with limited parallelism, validated against row counts
  and checksums, into a staging table then swapped. Orchestrator features (Airflow logical dates,
  catchup, retries), data quality checks gating publication, lineage so downstream tables are
  rebuilt.
  """,
  """
  Proposes dedup or upsert to avoid duplicates, but the job still depends on run time or the
  backfill plan is manual.
  """,
  """
  Adds a `DISTINCT` in downstream queries, or reprocesses by hand-editing data.
  """)

q("data-spark-skew-and-shuffles", T, "Spark joins, shuffles and data skew", 15, "hard",
  "spark performance etl", "senior staff_plus", "data engineering",
  """
  A Spark job joining 2 billion events to 50 million users finishes 199 of 200 tasks in five
  minutes; the last task runs for two hours and sometimes fails with out-of-memory errors. What is
  happening, and how do you fix it?
  """,
  """
  Data skew: a hot key (e.g. null or bot user id) sends most rows to one partition during the
  shuffle. Diagnoses from the Spark UI (task durations, shuffle read sizes) and key counts. Fixes:
  filter or handle nulls separately, broadcast join if one side fits, adaptive query execution
  skew-join handling, salting the hot keys (replicating the other side), pre-aggregating before
  the join, repartitioning with better keys. Mentions partition counts, spill, executor memory and
  file sizes (small files problem).
  """,
  """
  Recognises skew and proposes salting or broadcast, without systematic diagnosis.
  """,
  """
  Adds executors and memory only, or increases the partition count hoping it helps.
  """)

q("data-quality-checks-in-pipelines", T, "Data quality checks before a dashboard breaks", 10, "medium",
  "etl data-analysis testing", "junior mid senior", "data",
  """
  Executives saw revenue drop 40% on a dashboard; it turned out an upstream table had loaded only
  half of the day. What data quality checks would you add to the pipeline, where, and what should
  happen when one fails?
  """,
  """
  Checks at ingestion and before publication: freshness (latest timestamp), volume vs expected
  range (seasonality-aware), schema changes, null rates, uniqueness of keys, referential integrity,
  accepted values, reconciliation of totals against the source system. Severity levels: blocking
  checks stop publication and keep the last good version with a visible "stale" notice;
  warnings alert the owner. Tools (dbt tests, Great Expectations, anomaly detection), ownership and
  runbooks, communicating incidents to dashboard users.
  """,
  """
  Several relevant checks, but no policy for failures (alert only) or no reconciliation with the
  source.
  """,
  """
  Manual spot checks, or checks that only run after users complain.
  """)

q("data-defining-a-metric", T, "Defining a trustworthy product metric", 10, "medium",
  "product-analytics data-analysis", "junior mid", "data product",
  """
  Leadership asks for a single number for "candidate engagement" on our interview platform.
  Propose a precise definition, explain the choices you made (numerator, denominator, time
  window, exclusions), and how the metric could be gamed or misread.
  """,
  """
  Precise definition tied to value, e.g. "share of invited candidates who complete all interview
  sections within 7 days of invitation, by invitation week", with explicit exclusions (test
  accounts, withdrawn invitations), cohorting to avoid mixing incomplete windows, and
  segmentation (device, job type). Discusses alternatives and why rejected (time on page rewards
  confusion). Gaming/misreading: denominator manipulation, seasonality, mix shifts, lag; pairs it
  with counter-metrics (candidate satisfaction, drop-off per section). Documents it in a metric
  catalogue.
  """,
  """
  Reasonable definition with a time window, but exclusions or cohorting missing; limited on
  gaming.
  """,
  """
  Vague ("how engaged candidates are"), or picks a vanity metric like page views.
  """)

q("data-statistics-basics-mean-median", T, "Mean, median and skewed data", 10, "easy",
  "statistics data-analysis", "intern junior", "data product",
  """
  Time-to-complete for an online interview (in minutes) for ten candidates: 22, 25, 24, 27, 23,
  26, 25, 24, 180, 24. Compute the mean and the median. Which would you report as "typical", and
  why? What else would you show to describe this data?
  """,
  """
  Mean 40.0, median 24.5 (sorted: 22, 23, 24, 24, 24, 25, 25, 26, 27, 180). Reports the median
  as typical because the 180 is an outlier that pulls the mean; investigates the outlier (paused
  session, tab left open) rather than deleting it silently. Also shows percentiles (p90), the
  spread (IQR), a histogram or box plot, and the count.
  """,
  """
  Correct numbers and the median choice, with a brief reason; little on describing spread.
  """,
  """
  Wrong computation, or reports the mean without noticing the outlier.
  """)

q("data-dashboard-for-decision-makers", T, "Designing a dashboard people actually use", 10, "medium",
  "data-visualization data-analysis communication", "junior mid senior", "data product",
  """
  The head of recruiting asks for a dashboard "with all the hiring data". Before building it, what
  do you ask? Then describe the dashboard you would build: which views, which chart types for
  which questions, and what you would deliberately leave out.
  """,
  """
  Asks which decisions the dashboard should support, who looks at it and how often, and which
  targets exist, then designs for those questions: a few headline metrics with targets and trends
  (time-to-hire, pipeline by stage, offer acceptance), drill-downs by department and source.
  Chooses charts by task: lines for trends over time, bars for comparing categories, funnels or
  stacked bars for stage conversion, tables for lookups; avoids pies with many slices, dual axes
  and 3D. Shows definitions and data freshness on the page, consistent time windows, small
  sample warnings, and colour that works for colour-blind viewers. Leaves out metrics no one acts
  on; plans to check usage after launch.
  """,
  """
  Asks about the audience and builds reasonable views with suitable charts, but includes everything
  requested without prioritising, or omits definitions and freshness.
  """,
  """
  Builds a page with every available metric and chart type, or cannot say how chart type should
  follow the question.
  """)

q("data-causal-inference-observational", T, "Estimating impact without an experiment", 20, "hard",
  "statistics data-analysis", "senior staff_plus", "data product",
  """
  We launched structured interview templates to all customers at once. Customers who adopted them
  have 20% faster time-to-hire. Leadership wants to claim the feature caused it. How would you
  estimate the causal effect without a randomised experiment, and what would you tell leadership?
  """,
  """
  Names selection bias (adopters differ: larger, more organised teams). Proposes designs with
  their assumptions: difference-in-differences comparing adopters before/after against
  non-adopters (parallel trends check with pre-period plots), staggered adoption event studies,
  matching/propensity scores on pre-launch characteristics, regression discontinuity if a
  threshold decided access, instrumental variables, synthetic control for few large customers.
  Sensitivity analyses and placebo tests. Communicates a range with caveats and recommends a
  holdout or randomised rollout next time.
  """,
  """
  Recognises confounding and proposes one reasonable method (e.g. diff-in-diff) with some
  assumptions stated.
  """,
  """
  Accepts the correlation as the effect, or only suggests "controlling for company size".
  """)

q("data-forecast-evaluation", T, "Evaluating a forecasting model", 15, "medium",
  "statistics machine-learning", "mid senior", "data",
  """
  You built a model forecasting weekly interview volume per customer to plan infrastructure and
  support staffing. How do you evaluate it properly before people rely on it, and what baseline
  would you compare it with?
  """,
  """
  Time-series cross-validation (rolling origin backtests), never random splits; compares with
  naive and seasonal-naive baselines; metrics chosen for the use (MAE/WAPE for staffing, high
  quantile errors or pinball loss for capacity, avoiding MAPE near zero volumes); evaluates per
  segment and horizon; prediction intervals and their coverage; holidays and structural breaks;
  monitors forecast error after deployment.
  """,
  """
  Uses a holdout period and standard error metrics, but no baseline or no interval evaluation.
  """,
  """
  Random train/test split or in-sample fit quality as evidence.
  """)

q("data-airflow-dag-design", T, "Designing an orchestrated daily pipeline", 15, "medium",
  "airflow etl", "mid senior", "data engineering",
  """
  Design an Airflow (or similar) DAG that each morning pulls data from three SaaS APIs, loads it
  into the warehouse, runs transformations and refreshes dashboards. One API is flaky and rate
  limited. Describe tasks, dependencies, retries, and how you would know it is late or wrong.
  """,
  """
  Separate extract, load and transform tasks per source; idempotent tasks keyed by logical date;
  retries with backoff and rate-limit aware clients; sensors or deferrable operators rather than
  blocking workers; dependencies so one failing source does not block unrelated outputs where
  possible; data quality tasks gating the dashboard refresh; SLAs/alerts on lateness; secrets in
  a connection store; no heavy processing inside the scheduler; backfill support; ownership and
  runbook.
  """,
  """
  Reasonable DAG with retries, but tasks are not idempotent or lateness/quality are not
  monitored.
  """,
  """
  One giant task doing everything, or cron scripts without dependencies.
  """)

q("data-pandas-cleaning-messy-data", T, "Cleaning a messy dataset with pandas", 10, "easy",
  "pandas python data-analysis", "intern junior", "data",
  """
  You receive a CSV of 200,000 job applications exported from several systems: dates in mixed
  formats, salary as text ("50k", "$55,000", "negotiable"), country names spelled differently, and
  duplicate rows. Describe, step by step, how you would clean it with pandas and how you would
  make the cleaning reproducible.
  """,
  """
  Profiles first (`info`, `describe`, `value_counts`, null counts); parses dates with explicit
  formats and `errors="coerce"`, counting failures; normalises salary with a function handling
  units and currency, keeping unparseable values as NaN plus a flag; maps countries to ISO codes
  with a lookup table; dedups on a defined key after normalisation; validates with assertions on
  ranges and row counts; keeps raw data untouched and writes the cleaning as a script or notebook
  in version control; vectorised operations over `apply` where possible.
  """,
  """
  Sensible cleaning steps with pandas functions, but silent coercion or no reproducibility.
  """,
  """
  Edits the file by hand in a spreadsheet, or drops all rows with any problem without counting.
  """)

q("data-platform-strategy", T, "Setting a data platform strategy", 20, "hard",
  "data-warehousing leadership data-modeling", "staff_plus", "data engineering",
  """
  You are the first staff-level data person at a 300-person company. There are 40 dashboards
  nobody trusts, three definitions of "active customer", pipelines owned by whoever wrote them,
  and a growing warehouse bill. What would your first six months look like?
  """,
  """
  Starts with users and decisions: interviews stakeholders, inventories assets and usage, and
  picks a few critical metrics to make trustworthy first (quick wins). Establishes a metrics layer
  or catalogue with owners and definitions, modelling standards (layered models, tests, code
  review), ownership and on-call for critical pipelines, data contracts with product
  engineering, deprecation of unused dashboards, cost monitoring and optimisation. Sequences with
  milestones, measures trust (incidents, usage, time to answer), and grows the team's practices
  rather than doing all the work personally.
  """,
  """
  Good technical plan (tests, modelling, catalogue), but light on stakeholder alignment or
  sequencing.
  """,
  """
  Proposes migrating to a new tool as the main fix, or rebuilding everything from scratch.
  """)


# =============================================================================================
# Product management
# =============================================================================================

q("prod-prioritizing-a-backlog", T, "Prioritising a crowded backlog", 15, "medium",
  "prioritization product-management roadmapping", "mid senior", "product",
  """
  You own the recruiter-facing part of an interview platform. Next quarter's candidates for the
  roadmap: (a) an integration with a popular ATS that sales says blocks three large deals, (b)
  reducing a 20% drop-off on the candidate's first screen, (c) a reporting dashboard many
  customers ask for, (d) paying down reliability debt behind two recent outages. You can do about
  two. How do you decide, and how do you communicate it?
  """,
  """
  Clarifies the company goal for the quarter and gathers evidence per option: deal sizes and
  probability (are the three deals really blocked?), funnel data and the value of a completed
  interview, how many customers ask for reporting and why (the job behind it, maybe a CSV export
  solves it), outage cost and risk of recurrence. Uses a transparent framework (impact, confidence,
  effort, strategic fit; cost of delay) without hiding behind the score; considers sequencing and
  cheap partial solutions. Treats reliability as non-optional if risk is high. Communicates the
  decision, reasoning and what would change it to sales, engineering and customers.
  """,
  """
  Uses a reasonable framework and makes a defensible choice, but accepts inputs at face value or
  communication is an afterthought.
  """,
  """
  Picks whatever sales or the loudest stakeholder wants, or tries to do all four.
  """)

q("prod-success-metrics-for-a-feature", T, "Success metrics for a new feature", 10, "medium",
  "product-analytics product-management", "junior mid", "product data",
  """
  We are launching AI-proposed interview templates: the system suggests questions from a job
  description and recruiters edit and approve them. How would you measure whether the feature is
  successful? Name a primary metric, supporting metrics and guardrails, and explain how you would
  attribute changes to the feature.
  """,
  """
  Ties the metric to the user value (time from job creation to an approved template, share of
  jobs using proposals), supporting metrics on quality (share of proposed items kept vs edited vs
  removed, approval rate, reviewer time), and guardrails (candidate completion and satisfaction,
  hiring outcomes over time, complaints about irrelevant or biased questions). Baseline before
  launch, staged rollout or experiment for attribution, segment by customer size, qualitative
  feedback. Notes leading vs lagging indicators.
  """,
  """
  Reasonable primary metric and some supporting metrics; attribution or guardrails thin.
  """,
  """
  Vanity metrics (number of clicks on the button), or no way to tell if the feature caused a
  change.
  """)

q("prod-diagnosing-a-metric-drop", T, "Diagnosing a sudden drop in a key metric", 15, "medium",
  "product-analytics data-analysis problem-solving", "mid senior", "product data",
  """
  On Monday the share of invited candidates who complete their interview dropped from 68% to 52%
  week over week. You are the product manager. Walk me through how you find out why.
  """,
  """
  Structured approach: verify the data first (tracking changes, pipeline delays, definition
  changes, incomplete cohort windows); check if it is sudden or gradual and what changed (releases,
  experiments, incidents, email provider issues, customer mix, seasonality, a big customer
  onboarding); segment by platform, browser, customer, job type, invitation channel and funnel
  step to localise the drop; form and test hypotheses with engineering and support (tickets);
  decide on mitigation (rollback) while investigating; communicate findings and prevent
  recurrence (alerts, release checks).
  """,
  """
  Good segmentation and hypotheses, but skips data validation or communication.
  """,
  """
  Jumps to one cause without checking, or proposes a redesign before understanding the drop.
  """)

q("prod-design-for-accessibility-needs", T, "Product sense: interviews for candidates with disabilities", 20, "medium",
  "product-management user-research accessibility", "mid senior", "product design",
  """
  Design the product experience for candidates who need accommodations during an online
  interview (extra time, screen reader use, captions, breaks). Who are the users, what are their
  key problems, what would you build first, and how would you know it works?
  """,
  """
  Identifies the users (candidates with different needs, recruiters who must handle requests
  fairly and confidentially, compliance/legal), their problems (disclosure concerns, requesting
  accommodations without bias, timers, inaccessible coding editors), and prioritises a first
  version (a private accommodation request flow, per-candidate time extensions, accessible core
  flows per WCAG), with research including disabled users, privacy of health information, and
  success measures (completion parity, request turnaround, satisfaction). Discusses trade-offs and
  what not to build yet.
  """,
  """
  Sensible features and users, but prioritisation or measurement is weak, or privacy is missed.
  """,
  """
  A feature list without users or problems, or treats accessibility as a checkbox.
  """)

q("prod-user-research-plan", T, "Planning user research for a new problem", 10, "medium",
  "user-research product-management", "junior mid", "product design",
  """
  Hiring managers say reviewing candidates' recorded answers "takes forever". Before anyone builds
  anything, plan the research: who would you talk to, what would you ask or observe, and how would
  you turn findings into a decision?
  """,
  """
  Defines research questions (where does time go, what decisions are made, what is skipped),
  recruits a range of participants (high and low volume, different roles, churned users),
  prefers observation (contextual inquiry, session recordings, usage data) over opinions, asks
  about past behaviour not hypothetical features, avoids leading questions. Synthesises patterns
  (affinity mapping, jobs to be done), quantifies with usage data or a survey, and produces
  opportunities ranked by frequency and severity with the team. Mentions consent and
  confidentiality of candidate data.
  """,
  """
  Reasonable interview plan and synthesis, but relies on asking users what they want.
  """,
  """
  Skips research and proposes a solution (e.g. 2x playback) immediately.
  """)

q("prod-scoping-an-mvp", T, "Scoping a minimum viable version", 10, "medium",
  "product-management prioritization", "junior mid", "product engineering",
  """
  A customer wants candidates to be able to schedule their own live interviews with the hiring
  team. Engineering estimates the full feature (calendar sync with two providers, rescheduling,
  reminders, time-zone handling, panel availability) at four months. What would you ship first,
  and how do you decide what is in and out?
  """,
  """
  Starts from the riskiest assumption (will candidates self-schedule, does it reduce
  time-to-interview?) and the smallest thing that tests it: e.g. a single interviewer, one calendar
  provider or manually entered slots, booking link with confirmation email, with limits stated.
  Explicit in/out list with reasons, success metrics and a decision point, plans for what manual
  work or support fills gaps, avoids shipping something harmful (double bookings, wrong time
  zones are not acceptable cuts). Communicates scope to the customer.
  """,
  """
  A reasonable reduced scope, but without a learning goal or with quality cuts in the wrong
  places.
  """,
  """
  Ships everything in four months, or cuts randomly to fit a date.
  """)

q("prod-roadmap-conflicting-stakeholders", T, "Aligning stakeholders on a roadmap", 15, "hard",
  "stakeholder-management roadmapping communication", "senior staff_plus", "product",
  """
  Sales wants enterprise features, the CEO wants an AI initiative, customer success wants fixes
  for top complaints, and engineering wants time for platform work. You own the roadmap for the
  next two quarters. How do you reach a plan that these groups will support?
  """,
  """
  Anchors on company strategy and measurable goals agreed with leadership, makes the inputs
  visible (evidence, opportunity size, cost), holds individual conversations to understand each
  group's underlying goal, proposes a portfolio (e.g. capacity split across growth, retention,
  platform) with explicit trade-offs and what is not being done, gets decisions made at the right
  level when goals conflict, and publishes the roadmap as outcomes with confidence levels rather
  than dated feature promises. Reviews regularly and adjusts on evidence.
  """,
  """
  Fair process and reasonable plan, but leans on a scoring spreadsheet or negotiation without a
  strategic anchor.
  """,
  """
  Splits capacity equally to keep everyone happy, or defers to the most senior voice.
  """)

q("prod-saying-no-to-a-large-customer", T, "Handling a large customer's custom feature demand", 10, "medium",
  "stakeholder-management product-strategy communication", "mid senior", "product sales",
  """
  Your largest customer (12% of revenue) demands a custom approval workflow that no other
  customer has asked for, and threatens to churn at renewal in four months. What do you do?
  """,
  """
  Understands the underlying need (compliance, audit, internal politics) with the customer
  directly; checks whether it generalises (other customers, market direction) and whether a
  configurable version serves many; estimates cost including long-term maintenance; explores
  alternatives (workaround, integration, services, a roadmap commitment with dates); involves
  leadership for a business decision with numbers; communicates honestly to the customer and
  account team. Avoids one-off forks of the product.
  """,
  """
  Investigates the need and looks for a general solution, but misses maintenance cost or
  leadership involvement.
  """,
  """
  Builds exactly what is asked immediately, or refuses without exploring the need.
  """)

q("prod-pricing-and-packaging-change", T, "Changing pricing and packaging", 20, "hard",
  "product-strategy product-analytics", "senior staff_plus", "product sales",
  """
  The company sells interview seats per recruiter per month. Usage data shows a few recruiters
  run most interviews while many seats sit idle, and customers complain about paying for idle
  seats. Would you move to usage-based pricing? How would you decide and roll out a change?
  """,
  """
  Analyses value metric alignment (what customers value: interviews completed, hires), revenue
  impact by segment with simulations on current usage, predictability for buyers (budgets,
  commitments, overages), competitive landscape, and cost-to-serve (AI costs grow with usage).
  Considers hybrid models (platform fee plus usage tiers). Validates with customer interviews and
  sales, tests on new customers first, grandfathers or migrates existing ones with notice,
  prepares billing systems and sales compensation, and defines metrics (net revenue retention,
  win rate, churn).
  """,
  """
  Reasonable analysis of pros and cons and a phased rollout, missing either revenue modelling or
  migration of existing customers.
  """,
  """
  Decides on intuition or competitor copying; switches all customers at once.
  """)

q("prod-launch-plan", T, "Planning a product launch", 10, "medium",
  "product-management communication project-management", "junior mid senior", "product",
  """
  A new candidate mobile app for completing interviews is ready in beta. Outline the launch plan:
  who needs to be ready, what has to happen before, during and after launch, and what would make
  you delay it.
  """,
  """
  Launch tiers and goals, readiness checklist across functions (support trained with macros and
  known issues, docs and help centre, sales and CS briefed, marketing messages, legal/privacy
  review, app store review timelines), staged rollout with feature flags and monitoring, success
  and rollback criteria, on-call plan, customer communication (especially for recruiters whose
  candidates get the app), post-launch review. Clear go/no-go criteria (crash-free rate, critical
  bugs, support readiness).
  """,
  """
  Covers the main functions and a rollout, but no explicit go/no-go or rollback criteria.
  """,
  """
  Launch means publishing the app and announcing it; no readiness or monitoring.
  """)

q("prod-north-star-and-strategy", T, "Choosing a north star metric and strategy", 20, "hard",
  "product-strategy product-analytics leadership", "staff_plus", "product",
  """
  As head of product for an AI interviewing platform, propose a north star metric for the company
  and the three or four input metrics teams can move. Explain how the choice shapes strategy and
  what its failure modes are.
  """,
  """
  A north star that reflects delivered customer value and predicts revenue, e.g. "qualified hiring
  decisions made with our interviews per week", with reasoning against alternatives (interviews
  sent, revenue). Input metrics mapped to teams (customer activation, interviews completed per
  invitation, evaluator trust / time to decision, expansion). Failure modes: gaming, ignoring
  candidate experience or fairness, lag, measurement difficulty; adds guardrails. Explains how it
  guides trade-offs and investment and how it is reviewed.
  """,
  """
  A reasonable north star with some input metrics, but weak on failure modes or strategic
  implications.
  """,
  """
  Revenue or a vanity metric as north star, no decomposition.
  """)

q("prod-deprecating-a-feature", T, "Retiring a feature some customers still use", 10, "medium",
  "product-management communication customer-success", "mid senior", "product support",
  """
  A legacy "video-only interview" mode is used by 4% of customers, costs significant engineering
  time, and blocks a platform change. How do you retire it?
  """,
  """
  Quantifies usage and who depends on it (revenue, contracts that promise it), understands why
  they use it and offers a migration path or equivalent in the new platform. Plan with timeline,
  staged steps (hide from new customers, announce, migrate, read-only, remove), generous notice
  and direct outreach to heavy users with customer success, contractual and data retention
  considerations, support macros, tracking migration progress, and a decision process for
  exceptions.
  """,
  """
  A communication plan and timeline, but no understanding of why customers use it or no migration
  help.
  """,
  """
  Turns it off with a banner a week before, or keeps it forever to avoid conflict.
  """)

q("prod-writing-a-product-spec", T, "Writing a product requirements document", 10, "easy",
  "product-management communication", "intern junior mid", "product",
  """
  You are asked to write the spec (PRD) for letting recruiters duplicate an existing interview
  template. What sections would your document have, and what would you write in each for this
  feature? What questions would you need answered first?
  """,
  """
  Problem and evidence, users and use cases, goals and non-goals, requirements with acceptance
  criteria (what is copied: sections, items, time limits; what is not: approvals, job binding;
  naming; permissions), edge cases (archived items, items from another organisation, versions),
  success metrics, open questions, rollout. Asks: must the copy be re-approved, can templates be
  copied across jobs or organisations, audit expectations. Concise and testable.
  """,
  """
  Sensible sections with some feature-specific content; misses approval/version edge cases.
  """,
  """
  A one-line description or a list of UI screens without problem, goals or acceptance criteria.
  """)

q("prod-evaluating-an-ai-feature", T, "Evaluating the quality of an AI-generated feature", 15, "hard",
  "product-management machine-learning product-analytics", "senior staff_plus", "product data",
  """
  Our product uses a language model to generate interview questions from job descriptions. How
  would you define and measure "good output" before and after launch, and what risks must the
  product manage?
  """,
  """
  Quality dimensions defined with experts: relevance to the job's skills, correct difficulty and
  seniority, clarity, no bias or illegal questions, no personal data, valid structure. Offline
  evaluation set of representative job descriptions with rubric-based human ratings (inter-rater
  agreement) and automated checks; regression testing when prompts or models change. Online:
  acceptance/edit rates, reviewer feedback, downstream outcomes. Risks: hallucinated or
  discriminatory content, inconsistency, cost and latency, provider changes; mitigations: human
  approval required, filters, fallbacks, transparency to customers, logging for audits.
  """,
  """
  Reasonable human evaluation and online metrics, but no regression process or risk
  mitigation.
  """,
  """
  Judges quality by trying a few examples, or trusts the model because it is state of the art.
  """)

q("prod-critique-a-product-you-use", T, "Critiquing a product you use every day", 10, "easy",
  "product-management user-research", "intern junior", "product design",
  """
  Pick an app or product you use often. Who is it for, what problem does it solve for them, what
  is one thing you would improve, and how would you know your improvement worked?
  """,
  """
  Clear target user and their job to be done, insight into why the product succeeds, an
  improvement grounded in a real user problem (with an example of the pain) rather than personal
  taste, trade-offs of the change (who might be worse off, cost), and a measurable success signal
  with a way to test it (experiment, usage metric).
  """,
  """
  Good description of the product and a reasonable improvement, but weak on measurement or
  trade-offs.
  """,
  """
  Lists features or likes/dislikes without users, problems or measurement.
  """)


# =============================================================================================
# Customer support and success
# =============================================================================================

q("sup-de-escalating-an-angry-customer", T, "De-escalating an angry customer", 10, "easy",
  "customer-support communication", "intern junior mid", "support",
  """
  A recruiter writes in all caps: their candidate's interview crashed halfway through, the
  candidate is furious, the hiring deadline is tomorrow, and they "will cancel the contract if
  this is not fixed NOW". Write (or describe) your first reply, and explain what you do in the next
  hour.
  """,
  """
  First reply within minutes: acknowledges the impact specifically and without defensiveness,
  takes ownership ("I am looking into this now"), asks only for what is needed (candidate's
  invitation link or id, time, browser), and gives a concrete next update time. Immediate
  workaround to unblock the deadline (reset or re-issue the interview, extend the deadline, offer
  wording for the candidate). Next hour: checks logs or known incidents, reproduces or escalates
  with complete details, keeps the promised update even without a fix, documents the case. Avoids
  blame, jargon and promises it cannot keep.
  """,
  """
  Polite, empathetic reply and a plan, but no immediate workaround or no committed update time.
  """,
  """
  Defensive ("our system works fine"), copy-paste apology, or promises a fix by a time it does
  not control.
  """)

q("sup-troubleshooting-login-problems", T, "Troubleshooting a user who cannot log in", 10, "easy",
  "troubleshooting technical-support customer-support", "intern junior", "support",
  """
  A hiring manager says "I can't log in" and nothing more. What questions do you ask, in what
  order, and what are the likely causes you are narrowing down? What must you never do while
  helping?
  """,
  """
  Gathers facts efficiently: exact error message or screenshot, which login method (password,
  SSO, magic link), since when, other users in the same organisation affected, browser/device.
  Narrows causes: wrong account or email, account deactivated or not yet invited, password reset
  emails in spam or blocked, SSO misconfiguration or expired IdP certificate, MFA device lost,
  locked after failed attempts, browser cookies/extensions, an incident. Checks status page and
  admin console. Never asks for or handles their password, never bypasses MFA without verified
  identity, verifies identity before account changes.
  """,
  """
  Asks sensible questions and covers common causes, but unstructured or misses SSO/organisation
  level causes.
  """,
  """
  Immediately resets the password, or asks the user to send their password.
  """)

q("sup-sla-breach-handling", T, "Handling a ticket that is about to breach its SLA", 10, "medium",
  "customer-support incident-management", "junior mid", "support",
  """
  Your queue shows a high-priority ticket from an enterprise customer that breaches its
  four-hour first-response SLA in 20 minutes. You are mid-way through a complex case, and the
  ticket needs engineering input you will not have in time. What do you do, and what would you
  change so this happens less?
  """,
  """
  Sends a meaningful first response before the breach (acknowledges, summarises understanding,
  states what is being done, next update time) rather than a hollow auto-reply; routes the
  engineering question through the agreed escalation path with full context; tells the team lead
  if other SLAs are at risk; parks their own case with notes. Afterwards: looks at why it reached
  the edge (routing, staffing, priority rules, alerts before breach, time-zone coverage) and
  proposes a specific fix. Understands SLA types (first response vs resolution) and contractual
  consequences.
  """,
  """
  Responds in time and escalates, but the response is thin or there is no follow-up on the cause.
  """,
  """
  Lets it breach while finishing the current case, or sends a generic "we got your ticket" only
  to stop the clock.
  """)

q("sup-triaging-a-ticket-queue", T, "Triaging a queue of support tickets", 10, "medium",
  "customer-support prioritization", "junior mid", "support",
  """
  You start your shift with these tickets. In what order do you handle them, and why?

  1. A candidate cannot start their interview; it expires in 2 hours.
  2. An admin asks how to export last year's reports.
  3. Three different customers report that invitation emails are not arriving since this morning.
  4. A customer asks to delete all data of a candidate under GDPR.
  5. A recruiter reports a typo in a help-centre article.
  """,
  """
  Starts with 3: several customers, same symptom, likely an incident: checks status and
  monitoring, escalates to engineering/incident process immediately, links tickets, posts a
  status update. Then 1 (time-bound, candidate impact: extend the expiry or fix now). Then 4
  (legal deadline, typically one month, but verify identity and authority and route to the
  privacy process promptly, not last). Then 2, then 5. Explains the criteria (impact breadth,
  urgency, legal obligation, effort) and sends quick acknowledgements where work is delayed.
  """,
  """
  Mostly sensible order with reasons, but treats 3 as three separate tickets or misses the legal
  aspect of 4.
  """,
  """
  First in, first out, or easiest first without regard to impact.
  """)

q("sup-escalating-a-bug-to-engineering", T, "Escalating a bug report engineering can act on", 10, "medium",
  "technical-support troubleshooting communication", "junior mid", "support engineering",
  """
  A customer reports that some candidates' coding answers are lost when they submit. You suspect
  a bug. What does a good escalation to engineering contain, and what do you do before sending
  it? Write the summary line you would use.
  """,
  """
  Before escalating: checks known issues, reproduces if possible, gathers scope (how many
  candidates, which customers, browsers, since when), specific examples (invitation ids,
  timestamps with time zone), screenshots/HAR/console logs, and what was already tried. The
  escalation has a clear summary ("Coding answers lost on submit for Safari 17 candidates since
  release 4.12: 7 cases, 3 customers"), steps to reproduce, expected vs actual, impact and
  urgency, customer-facing workaround, and no unnecessary personal data. Keeps the customer
  informed and closes the loop when fixed.
  """,
  """
  Includes reproduction steps and examples, but little scope or impact information.
  """,
  """
  Forwards the customer's email with "please check", or files without any identifiers.
  """)

q("sup-outage-customer-communication", T, "Communicating with customers during an outage", 15, "medium",
  "incident-management communication customer-support", "mid senior", "support",
  """
  Interviews are failing to load for all customers in Europe. Engineering is investigating and has
  no estimate yet. You own customer communication. What do you publish, where, and how often? Draft
  the first status update.
  """,
  """
  Publishes quickly on the status page and in-app banner, with consistent messaging to the
  support queue via a macro and proactive outreach to key accounts. First update: what is
  affected (interviews in Europe fail to load), since when (UTC time), that it is being
  investigated, any workaround (candidates can retry later; expiring invitations will be
  extended), and when the next update will come (e.g. 30 minutes), without speculating on cause.
  Updates on schedule even with no news, a resolution message, and a post-incident summary for
  affected customers. Coordinates with engineering via an incident channel and tracks affected
  customers for follow-up (extensions, credits).
  """,
  """
  Timely and clear updates, but misses proactive outreach, a next-update time, or the follow-up.
  """,
  """
  Waits until the root cause is known before saying anything, or speculates and over-promises.
  """)

q("sup-api-authentication-errors", T, "Troubleshooting API 401 and 403 errors", 15, "medium",
  "technical-support rest-api troubleshooting", "mid senior", "support engineering",
  """
  A customer's developer says our API returns `401 Unauthorized` for some calls and `403
  Forbidden` for others since they rotated their API credentials. Walk through how you would help
  them, including what you would ask for and what you would never ask for.
  """,
  """
  Explains the difference (401: missing/invalid/expired credentials; 403: authenticated but not
  permitted). Asks for timestamps, request ids, endpoint, HTTP method, the header format (with the
  secret redacted), environment (sandbox vs production), and which key id they use. Likely causes:
  old key still deployed in some services, wrong header scheme, clock skew for signed requests,
  new key created with narrower scopes or for another organisation, IP allow-lists. Checks
  server-side logs by request id. Never asks for the full secret; if one is shared, advises
  rotating it immediately.
  """,
  """
  Knows 401 vs 403 and asks for useful information, but misses scopes or environment mix-ups.
  """,
  """
  Asks the customer to paste their API key, or escalates immediately without gathering details.
  """)

q("sup-email-deliverability-investigation", T, "Investigating emails that never arrive", 15, "medium",
  "technical-support troubleshooting networking", "mid senior", "support",
  """
  A customer says candidate invitation emails sent from our platform on their behalf (from
  `jobs@customer.com`) are not arriving, or land in spam. How do you investigate, and what might
  you ask the customer's IT team to change?
  """,
  """
  Checks our sending logs and provider events for the recipients (delivered, bounced, deferred,
  suppressed after earlier bounces or complaints). Examines authentication: SPF including our
  sending service, DKIM signing with the customer's domain and published keys, DMARC policy and
  alignment, return-path; uses received headers of a test email. Content and reputation factors
  (links, volume spikes, blocklists), recipient-side filtering (corporate gateways, allow-listing).
  Gives the IT team the exact DNS records to add, verifies them, and suggests a test plan. Offers
  workarounds meanwhile (copy link manually, resend after fix).
  """,
  """
  Knows SPF/DKIM/DMARC in general and checks logs, but cannot explain alignment or suppression
  lists.
  """,
  """
  Tells the customer to ask candidates to check spam, and nothing else.
  """)

q("sup-writing-a-help-article", T, "Writing a help-centre article", 10, "easy",
  "customer-support communication", "intern junior", "support",
  """
  Many tickets ask how a candidate can retake an interview after a technical problem. Outline a
  help-centre article that would prevent most of these tickets: its title, structure and key
  content. How would you measure whether it works?
  """,
  """
  A task-based title in the user's words ("Let a candidate retake an interview"), who can do it
  (roles/permissions), numbered steps with the exact UI labels and screenshots, what happens to
  the previous attempt, limits and edge cases (expired invitations, approved templates), a
  troubleshooting section, and links to related articles. Plain language, scannable, kept up to
  date with releases. Measures ticket volume on the topic, article views vs ticket creation
  (deflection), search terms and feedback votes.
  """,
  """
  Clear steps and structure, but no edge cases or measurement.
  """,
  """
  A long paragraph of text, internal jargon, or no steps.
  """)

q("sup-refund-exception-request", T, "Deciding on an exception to policy", 10, "medium",
  "customer-support customer-success communication", "junior mid", "support sales",
  """
  A small customer on an annual plan asks for a full refund three months in, saying the product
  did not meet their needs. Policy says annual plans are non-refundable after 30 days. How do you
  handle it?
  """,
  """
  Understands why it did not work (a fixable problem, a missing feature, wrong fit), checks the
  account history (usage, prior tickets, promises made by sales), and explores options within
  authority (help to get value, downgrade, pause, partial credit) before escalating a refund
  exception to whoever decides with a clear recommendation. Communicates the policy honestly and
  kindly, with a decision timeline, records the case, and feeds product gaps back. Consistent with
  how similar customers were treated.
  """,
  """
  Polite and follows policy or escalates, but does not dig into the reason or offer alternatives.
  """,
  """
  Refunds without authority, or refuses curtly by quoting the policy.
  """)

q("sup-churn-risk-account", T, "Saving an at-risk customer account", 15, "medium",
  "customer-success communication stakeholder-management", "mid senior", "support sales",
  """
  You manage a mid-sized customer whose usage dropped 60% over two months; their champion left
  the company and renewal is in 90 days. What do you do?
  """,
  """
  Diagnoses before acting: usage by team and feature, support history, hiring volume changes
  (maybe they simply hire less), stakeholder map. Builds a new relationship with the new decision
  makers and users, runs a value review with outcomes achieved (time-to-hire, interviews run),
  addresses blockers with a joint success plan with dates and owners, involves the executive
  sponsor or product where needed, and forecasts the renewal risk honestly internally. Learns for
  other accounts (multi-threading relationships early, health scores).
  """,
  """
  Reaches out and proposes a plan, but does not diagnose the cause or only relies on discounts.
  """,
  """
  Waits for renewal, or offers a discount as the first and only move.
  """)

q("sup-support-metrics-and-quality", T, "Measuring support team performance", 15, "hard",
  "customer-support leadership product-analytics", "senior staff_plus", "support",
  """
  You lead a support team of 15. Leadership wants one dashboard to judge the team. Which metrics
  would you use, how can each be misleading, and how do you measure quality, not just speed?
  """,
  """
  Balanced set: first response time and resolution time (percentiles, per priority), backlog age,
  CSAT and its response bias, customer effort score, first contact resolution, reopen rate,
  escalation rate and quality, contacts per customer or per active user (product health), and
  self-service deflection. Misleading cases: speed incentives causing premature closes, CSAT
  measuring the product not the agent, averages hiding tails. Quality via a QA rubric with
  calibrated reviews of sampled tickets, coaching, and linking ticket drivers to product
  improvements. Metrics for improvement and team health, not individual ranking by one number.
  """,
  """
  Reasonable metrics with some awareness of gaming, but quality measurement is weak.
  """,
  """
  Tickets closed per agent as the main metric, or only CSAT.
  """)

q("sup-scaling-support-organisation", T, "Scaling a support organisation", 20, "hard",
  "customer-support leadership project-management", "staff_plus", "support operations",
  """
  Ticket volume will triple within a year as the company expands to two new regions and
  enterprise customers who expect 24/7 coverage. Headcount can only double. What is your plan?
  """,
  """
  Reduces demand: works with product on the top contact drivers, better self-service (help centre,
  in-app guidance, chatbot with clean handoff). Structures the team: tiers or pods by segment,
  follow-the-sun coverage across regions with clean handoffs, language needs, specialised
  technical support and an escalation path to engineering, enterprise SLAs with named contacts.
  Tooling and automation (routing, macros, knowledge base), hiring and onboarding plan with
  ramp-up time, workforce management forecasting, quality programme, and metrics to track the
  plan. Budget and risk trade-offs explained.
  """,
  """
  Sensible staffing and self-service plan, but little on reducing contact drivers or on
  coverage design.
  """,
  """
  Hires as many as possible and asks agents to work faster.
  """)

q("sup-browser-issue-with-har-file", T, "Diagnosing a browser-only problem", 15, "medium",
  "technical-support troubleshooting networking", "mid senior", "support engineering",
  """
  Some candidates on a corporate network see a blank screen when opening their interview link;
  others on home networks are fine. What information do you collect, how do you read it, and what
  causes are you looking for?
  """,
  """
  Collects browser and version, extensions, screenshots, console errors and a HAR file or network
  tab export (explaining to the user how, and that HAR files can contain cookies/tokens so they
  must be shared securely and sanitised). Reads failed requests (blocked domains or CDNs, TLS
  interception errors, CSP violations, WebSocket upgrades blocked by proxies, 403 from a web
  filter), console errors (blocked scripts, unsupported features). Causes: corporate proxy or
  firewall blocking our CDN/WebSocket, TLS inspection, outdated managed browsers, strict
  extensions. Provides a list of domains/ports to allow-list and a workaround (another network).
  """,
  """
  Asks for console logs and suspects the network, but cannot interpret a HAR or misses the
  security aspect of sharing it.
  """,
  """
  Asks the candidate to clear cache and retry repeatedly, with no diagnosis.
  """)

q("sup-handling-a-data-deletion-request", T, "Handling a personal data deletion request", 10, "medium",
  "customer-support security communication", "junior mid senior", "support",
  """
  A person emails support: "I was a candidate for one of your customers. Delete all my data now."
  Our platform processes candidate data on behalf of customers. What do you do?
  """,
  """
  Recognises the roles: the customer (employer) is typically the controller and we are the
  processor, so we follow our documented process: acknowledge promptly, do not confirm or reveal
  data to an unverified person, verify identity appropriately, and forward the request to the
  relevant customer(s) who decide, assisting them technically; or follow our own obligations where
  we are the controller (e.g. marketing data). Tracks the legal deadline, involves the privacy
  team, documents everything, and responds clearly to the person about next steps. Does not
  delete data ad hoc in ways that break legal holds or audit requirements.
  """,
  """
  Escalates to the privacy team and verifies identity, but unclear on controller/processor roles.
  """,
  """
  Deletes immediately without verification, or ignores the request because the person is not a
  customer.
  """)

q("sup-declining-a-feature-request", T, "Responding to a feature request you cannot promise", 10, "easy",
  "customer-support communication", "intern junior mid", "support product",
  """
  A customer asks support when we will add bulk-invite from a spreadsheet, says a competitor has
  it, and wants a date. There is no plan for it. How do you reply, and what happens to the request
  internally?
  """,
  """
  Thanks them, asks what they are trying to achieve (volume, frequency, current workaround) to
  capture the real need, offers any existing workaround (API, CSV import elsewhere) with
  instructions, is honest that there is no committed date without dismissing it, and explains how
  requests are considered. Logs it in the feedback system with the use case, customer segment and
  revenue context, links duplicates, and follows up if it ships.
  """,
  """
  Honest and polite reply and logs the request, but does not ask about the underlying need or
  offer a workaround.
  """,
  """
  Promises a date or "soon", or replies that it is not possible with no follow-up.
  """)


# =============================================================================================
# Sales
# =============================================================================================

q("sales-discovery-call", T, "Running a discovery call", 15, "medium",
  "sales communication", "junior mid senior", "sales",
  """
  You have a first call with the head of talent acquisition at a 2,000-person company that hires
  300 engineers a year. Walk me through how you run the call: what you want to learn, the
  questions you ask, and how you decide whether and how to move forward.
  """,
  """
  Prepares (company news, hiring pages, LinkedIn, current tools). Opens with an agenda and
  purpose, then open questions about current process and pain (time-to-hire, interviewer load,
  candidate experience, consistency and fairness), quantifies impact, explores the buying process
  and stakeholders (engineering leaders, procurement, legal/security), timeline and budget,
  current tools and alternatives, and what success would look like. Listens more than pitches,
  summarises back, qualifies honestly (a framework like MEDDICC or BANT used naturally), and ends
  with a concrete mutual next step.
  """,
  """
  Good questions about pain and process, but misses decision process or ends without a next step.
  """,
  """
  Pitches features for most of the call, or asks closed yes/no questions only.
  """)

q("sales-handling-objections", T, "Handling a pricing and security objection", 10, "medium",
  "sales communication", "mid senior", "sales",
  """
  Late in a deal, the buyer says: "Your price is 30% higher than the competitor, and our security
  team is worried about AI interviewing candidates." How do you respond, and what do you do next?
  """,
  """
  Acknowledges and clarifies each objection before answering (what exactly is being compared, who
  in security is concerned and about what). Price: reframes around value and outcomes quantified
  in discovery, total cost, differences in scope; trades concessions for commitments rather than
  discounting immediately. Security: brings documentation (SOC 2 report, data processing
  agreement, data retention, human approval of content, bias controls) and offers a call with
  the right expert; involves the security team early. Agrees on next steps and a timeline.
  """,
  """
  Addresses both objections reasonably, but discounts quickly or treats security as a formality.
  """,
  """
  Argues with the buyer, discounts to match immediately, or dismisses the security concern.
  """)
