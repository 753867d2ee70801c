#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/content_data.hpp"
#include "actors/domain/content_generation.hpp"
#include "actors/domain/content_text.hpp"

using namespace hw::domain;

namespace {

const skill_taxonomy& tax() { return skill_taxonomy::shipped(); }

job_profile extract(std::string_view title, std::string_view desc, std::string_view req = "") {
  return extract_profile(title, desc, req, tax());
}

const skill_mention* find_skill(const job_profile& p, std::string_view slug) {
  for (const auto& m : p.skills) {
    if (m.slug == slug) return &m;
  }
  return nullptr;
}

bool has(const job_profile& p, std::string_view slug) { return find_skill(p, slug) != nullptr; }

// ---- fixture job descriptions ---------------------------------------------------------------

const char* backend_title = "Senior Backend Engineer (Payments)";
const char* backend_html = R"(<h2>About the role</h2>
<p>Our payments platform moves money for 40,000 merchants. You will design and run services
written in Go on Kubernetes, with PostgreSQL as the system of record and Kafka between services.
We care about our go-to-market partners &amp; customers, so reliability matters.</p>
<script>var tracking = "Rust Python";</script>
<h3>What you&rsquo;ll do</h3>
<ul>
  <li>Build and operate Go services that handle 5,000 requests per second</li>
  <li>Own PostgreSQL schema changes and query performance</li>
  <li>Improve observability: metrics, tracing and alerting</li>
  <li>Mentor other engineers and review code</li>
</ul>
<h3>Nice to have</h3>
<ul>
  <li>Rust</li>
  <li>Experience with Terraform</li>
</ul>)";
const char* backend_req = R"(Requirements:
- 5+ years of experience building backend services
- Strong Go and SQL skills; experience with Kubernetes and Docker
- Solid understanding of distributed systems
- Kafka or another event streaming platform
- Redis experience is a plus)";

const char* analyst_title = "Data Analyst";
const char* analyst_html =
    R"(<p>Join our growth team. You will turn product data into decisions.</p>
<p><strong>You have</strong></p>
<ul><li>At least 3 years of experience in analytics</li>
<li>Advanced SQL and Python (pandas)</li>
<li>Dashboards in Tableau or Looker</li>
<li>Experience designing A/B tests and reading their statistics</li></ul>
<p>Bonus: dbt or Airflow.</p>
<p>The company was founded 12 years ago.</p>)";

const char* support_title = "Customer Support Specialist";
const char* support_html =
    R"(<p>Go the extra mile for our customers! You will answer tickets in Zendesk, troubleshoot
login problems with our engineers and write knowledge base articles.</p>
<p>Go-to-market launches happen every month; we go to market fast.</p>
<p>Requirements: excellent written communication, empathy, 1 year of customer service experience.</p>)";

content_item_body make_body(content_kind kind, std::string title, std::string prompt,
                            std::vector<std::string> skills,
                            std::vector<seniority> sen = {seniority::senior}, int minutes = 15,
                            difficulty d = difficulty::hard,
                            std::vector<job_category> cats = {job_category::engineering}) {
  content_item_body b;
  b.kind = kind;
  b.title = std::move(title);
  b.prompt = std::move(prompt);
  b.guidance = {"A strong answer is specific and correct.",
                "An acceptable answer is mostly correct.", "A weak answer is vague."};
  b.expected_minutes = minutes;
  b.level = d;
  b.skills = std::move(skills);
  b.seniorities = std::move(sen);
  b.categories = std::move(cats);
  return b;
}

library_candidate lib(std::string id, content_item_body body, int version = 1) {
  return {std::move(id), version, std::move(body)};
}

std::vector<library_candidate> backend_library() {
  std::vector<library_candidate> v;
  v.push_back(lib(
      "00000000-0000-4000-8000-000000000001",
      make_body(content_kind::technical, "Go services under load",
                "How do you structure a Go service so that it handles bursts of traffic without "
                "falling over? Talk about goroutine pools, backpressure and timeouts.",
                {"go", "concurrency"})));
  v.push_back(lib(
      "00000000-0000-4000-8000-000000000002",
      make_body(content_kind::technical, "Kubernetes resource requests and limits",
                "Explain how requests and limits work for CPU and memory in Kubernetes and what "
                "happens to a pod that exceeds each of them.",
                {"kubernetes", "docker"})));
  v.push_back(
      lib("00000000-0000-4000-8000-000000000003",
          make_body(
              content_kind::system_design, "Designing a ledger on PostgreSQL",
              "Design a double-entry ledger stored in PostgreSQL for a payments company. Cover the "
              "schema, concurrency control, and how balances stay correct.",
              {"postgresql", "sql", "distributed-systems"},
              {seniority::senior, seniority::staff_plus}, 30)));
  v.push_back(lib(
      "00000000-0000-4000-8000-000000000004",
      make_body(content_kind::behavioral, "Mentoring a new teammate",
                "Tell us about a time you helped a new teammate become productive. What did you do "
                "and how did you know it worked?",
                {"mentoring", "communication"}, {seniority::mid, seniority::senior}, 10,
                difficulty::medium)));
  // An older version of item 1 (only the newest version may be proposed) and an item that
  // covers nothing in the profile.
  v.push_back(lib(
      "00000000-0000-4000-8000-000000000001",
      make_body(content_kind::technical, "Go services (old)",
                "An older wording of the question about Go services and their traffic bursts, kept "
                "for history.",
                {"go"}),
      0));
  v.push_back(lib(
      "00000000-0000-4000-8000-000000000005",
      make_body(content_kind::technical, "Figma components",
                "How do you structure components and variants in Figma for a large design system?",
                {"figma"}, {seniority::mid}, 10, difficulty::medium, {job_category::design})));
  return v;
}

nlohmann::json summary(const template_proposal& p) {
  nlohmann::json j;
  for (const auto& e : p.entries) {
    nlohmann::json x = {{"section", e.section},
                        {"minutes", e.time_limit_minutes},
                        {"weight", e.weight},
                        {"covers", e.covers}};
    if (e.library) x["library"] = e.library->item_id + "@" + std::to_string(e.library->version);
    if (e.generated_index) x["generated"] = *e.generated_index;
    j["entries"].push_back(x);
  }
  for (const auto& g : p.generated)
    j["generated"].push_back({{"body", to_json(g.body)}, {"rule", g.rule}, {"origin", g.origin}});
  for (const auto& c : p.coverage)
    j["coverage"].push_back(
        {{"skill", c.skill}, {"covered", c.covered}, {"by", c.by}, {"required", c.required}});
  j["total"] = p.total_minutes;
  return j;
}

content_item_body good_generated() {
  return make_body(
      content_kind::technical, "Kubernetes: rolling updates without errors",
      "A Kubernetes rollout causes a short spike of errors. Which probes and settings would you "
      "check, and how would you confirm the fix?",
      {"kubernetes"});
}

}  // namespace

// ---- taxonomy
// --------------------------------------------------------------------------------------

TEST_CASE("content_gen: the shipped taxonomy has at least 150 skills in every category",
          "[content_gen]") {
  const auto& all = tax().all();
  REQUIRE(all.size() >= 150);
  std::set<job_category> cats;
  std::set<std::string> slugs;
  for (const auto& s : all) {
    cats.insert(s.category);
    CHECK(slugs.insert(s.slug).second);
    CHECK_FALSE(s.custom);
    CHECK_FALSE(s.label.empty());
  }
  CHECK(cats.size() == 8);
  for (job_category c : {job_category::engineering, job_category::data, job_category::product,
                         job_category::design, job_category::sales, job_category::support,
                         job_category::marketing, job_category::operations}) {
    INFO(to_string(c));
    CHECK(std::count_if(all.begin(), all.end(), [&](const skill& s) { return s.category == c; }) >=
          8);
  }
}

TEST_CASE("content_gen: every name in the shipped taxonomy names exactly one skill",
          "[content_gen]") {
  const auto ix = tax().index();
  REQUIRE(ix);
  for (std::size_t i = 0; i < tax().all().size(); ++i) {
    const auto& s = tax().all()[i];
    std::vector<std::string> names{s.label, s.slug};
    names.insert(names.end(), s.synonyms.begin(), s.synonyms.end());
    for (const auto& n : names) {
      INFO(s.slug << " name " << n);
      CHECK(tax().canonical(n) == s.slug);
    }
  }
}

TEST_CASE("content_gen: synonyms map to the canonical slug", "[content_gen]") {
  CHECK(tax().canonical("k8s") == "kubernetes");
  CHECK(tax().canonical("K8s") == "kubernetes");
  CHECK(tax().canonical("Kubernetes ") == "kubernetes");
  CHECK(tax().canonical("postgres") == "postgresql");
  CHECK(tax().canonical("PostgreSQL") == "postgresql");
  CHECK(tax().canonical("js") == "javascript");
  CHECK(tax().canonical("golang") == "go");
  CHECK(tax().canonical("Go") == "go");
  CHECK(tax().canonical("c++") == "cpp");
  CHECK(tax().canonical("C#") == "csharp");
  CHECK(tax().canonical(".NET") == "dotnet");
  CHECK(tax().canonical("node.js") == "nodejs");
  CHECK(tax().canonical("CI/CD") == "ci-cd");
  CHECK(tax().canonical("ci cd") == "ci-cd");
  CHECK(tax().canonical("A/B testing") == "ab-testing");
  CHECK(tax().canonical("Go-to-market") == "go-to-market");
  CHECK_FALSE(tax().canonical("kubernetes cluster"));  // exact phrase, not substring
  CHECK_FALSE(tax().canonical("kuber"));
  CHECK_FALSE(tax().canonical(""));
  CHECK_FALSE(tax().canonical("underwater basket weaving"));
  REQUIRE(tax().find("postgresql"));
  CHECK(tax().find("postgresql")->label == "PostgreSQL");
  CHECK(tax().find("postgres") == nullptr);  // find takes slugs only
}

TEST_CASE("content_gen: every skill of the shipped starter library is in the taxonomy",
          "[content_gen]") {
  const auto j = nlohmann::json::parse(starter_library_json(), nullptr, false);
  REQUIRE(j.is_object());
  REQUIRE(j.contains("items"));
  for (const auto& item : j["items"]) {
    const nlohmann::json body = item.contains("body") ? item["body"] : item;
    if (!body.contains("skills")) continue;
    for (const auto& s : body["skills"]) {
      INFO("starter skill " << s.dump());
      REQUIRE(s.is_string());
      CHECK(tax().find(s.get<std::string>()) != nullptr);
    }
  }
}

TEST_CASE("content_gen: an organization's own skills join the shipped ones", "[content_gen]") {
  skill own{"hwdsl", "HireWire DSL", {"hw dsl", "k8s"}, job_category::engineering, false};
  skill clash{"kubernetes", "My Kubernetes", {"kube-mine"}, job_category::operations, false};
  const auto t = tax().with({own, clash});
  CHECK(t.all().size() == tax().all().size() + 1);
  REQUIRE(t.find("hwdsl"));
  CHECK(t.find("hwdsl")->custom);
  CHECK(t.canonical("HW DSL") == "hwdsl");
  CHECK(t.canonical("k8s") == "kubernetes");  // a custom synonym never overrides a shipped one
  CHECK(t.find("kubernetes")->label == "Kubernetes");
  CHECK_FALSE(t.canonical("kube-mine"));  // the clashing custom skill was ignored
  const auto p =
      extract_profile("Platform Engineer", "We write our rules in the HireWire DSL.", "", t);
  CHECK(has(p, "hwdsl"));
}

TEST_CASE("content_gen: validate_custom_skill refuses shipped names and bad shapes",
          "[content_gen]") {
  CHECK(validate_custom_skill(
            {"hwdsl", "HireWire DSL", {"hw dsl"}, job_category::engineering, true}, tax())
            .empty());
  const auto slug_taken = validate_custom_skill(
      {"kubernetes", "Kube Thing", {}, job_category::engineering, true}, tax());
  REQUIRE(slug_taken.size() == 1);
  CHECK(slug_taken[0].path == "/slug");
  const auto syn_taken = validate_custom_skill(
      {"hwdsl", "HireWire DSL", {"postgres"}, job_category::engineering, true}, tax());
  REQUIRE(syn_taken.size() == 1);
  CHECK(syn_taken[0].path == "/synonyms/0");
  CHECK(syn_taken[0].message.find("postgresql") != std::string::npos);
  CHECK_FALSE(
      validate_custom_skill({"Bad Slug", "x", {}, job_category::engineering, true}, tax()).empty());
  CHECK_FALSE(
      validate_custom_skill({"ok-slug", "", {}, job_category::engineering, true}, tax()).empty());
  CHECK_FALSE(validate_custom_skill(
                  {"ok-slug", std::string(61, 'a'), {}, job_category::engineering, true}, tax())
                  .empty());
  CHECK_FALSE(validate_custom_skill({"ok-slug", "Ok", std::vector<std::string>(21, "x"),
                                     job_category::engineering, true},
                                    tax())
                  .empty());
  CHECK_FALSE(validate_custom_skill(
                  {"ok-slug", "Ok", {"same", "Same"}, job_category::engineering, true}, tax())
                  .empty());
}

// ---- extraction
// ------------------------------------------------------------------------------------

TEST_CASE("content_gen: synonyms are found in job text", "[content_gen]") {
  const auto p =
      extract("Platform Engineer",
              "We run k8s on GKE, store data in Postgres, write JS and C++ and use CI/CD. Node.js "
              "services and .NET Core APIs.");
  CHECK(has(p, "kubernetes"));
  CHECK(find_skill(p, "kubernetes")->mentions == 2);  // k8s and GKE
  CHECK(has(p, "postgresql"));
  CHECK(has(p, "javascript"));
  CHECK(has(p, "cpp"));
  CHECK(has(p, "ci-cd"));
  CHECK(has(p, "nodejs"));
  CHECK(has(p, "dotnet"));
  CHECK_FALSE(has(p, "c"));  // "C++" is not C
}

TEST_CASE("content_gen: ambiguous short names need a safe context", "[content_gen]") {
  SECTION("go") {
    CHECK_FALSE(has(extract("Marketing Manager", "Own our go to market plan."), "go"));
    CHECK_FALSE(has(extract("Marketing Manager", "Go to market plans are yours."), "go"));
    CHECK_FALSE(has(extract("Marketing Manager", "Lead our Go-to-market strategy."), "go"));
    CHECK(has(extract("Marketing Manager", "Lead our Go-to-market strategy."), "go-to-market"));
    CHECK_FALSE(has(extract("Support", "We go fast and go far. Go the extra mile."), "go"));
    CHECK(has(extract("Backend Engineer", "Experience with Go and Kubernetes"), "go"));
    CHECK(has(extract("Backend Engineer", "Experience with Go and Kubernetes"), "kubernetes"));
    CHECK(has(extract("Backend Engineer", "Go and Kubernetes experience"), "go"));
    CHECK(has(extract("Backend Engineer", "- Go, Rust or Java"), "go"));
    CHECK(has(extract("Backend Engineer", "We love golang."), "go"));
    CHECK(has(extract("Backend Engineer", "Services in Go (language) and Python"), "go"));
    CHECK(has(extract("Go Developer", ""), "go"));
    CHECK(has(extract("Senior Engineer (Go)", ""), "go"));
    CHECK_FALSE(has(extract("Backend Engineer", "you will go deep into performance"), "go"));
  }
  SECTION("c and r") {
    CHECK_FALSE(has(extract("Engineer", "We raised our Series C last year."), "c"));
    CHECK_FALSE(has(extract("Engineer", "You will present to C-level executives."), "c"));
    CHECK(has(extract("Engineer", "Firmware in C/C++ for microcontrollers."), "c"));
    CHECK(has(extract("Engineer", "Firmware in C/C++ for microcontrollers."), "cpp"));
    CHECK_FALSE(has(extract("Analyst", "Our R&D team ships fast."), "r"));
    CHECK(has(extract("Analyst", "Statistical modeling in Python or R."), "r"));
  }
  SECTION("other ambiguous words") {
    CHECK_FALSE(has(extract("Engineer", "Work with the rest of the team."), "rest-api"));
    CHECK(has(extract("Engineer", "Design REST APIs for partners."), "rest-api"));
    CHECK_FALSE(has(extract("Engineer", "Ship swift fixes and excel at teamwork."), "swift"));
    CHECK_FALSE(has(extract("Engineer", "Ship swift fixes and excel at teamwork."), "excel"));
    CHECK(has(extract("iOS Engineer", "Build apps in Swift and SwiftUI."), "swift"));
    CHECK_FALSE(has(extract("Engineer", "You react quickly to incidents."), "react"));
    CHECK_FALSE(has(extract("Sales Manager", "Work with sales and marketing."), "sales"));
  }
}

TEST_CASE("content_gen: HTML is stripped and entities decoded", "[content_gen]") {
  using content_text::strip_html;
  CHECK(strip_html("<p>Go &amp; Rust</p>") == "\nGo & Rust\n");
  CHECK(strip_html("a &lt; b &gt; c &quot;q&quot; &#39;s&#39; &nbsp;x") ==
        "a < b > c \"q\" 's'  x");
  CHECK(strip_html("caf&#233; &#x2F; it&rsquo;s") == "caf\xC3\xA9 / it's");
  CHECK(strip_html("a < b and c > d") == "a < b and c > d");
  CHECK(strip_html("x<script>alert('Go')</script>y") == "xy");
  CHECK(strip_html("x<STYLE>p{color:red}</STYLE>y") == "xy");
  CHECK(strip_html("x<!-- Kubernetes -->y") == "xy");
  CHECK(strip_html("Java<b>Script</b>") == "JavaScript");
  CHECK(strip_html("&unknown; &amp") == "&unknown; &amp");
  CHECK(strip_html("<<<<a") == "<<<<a");
  CHECK(strip_html("<h2>Title</h2>") == std::string("\n") + content_text::heading_mark + "Title\n");
  // Pathological input stays linear (one pass): many unclosed tags.
  std::string many(200000, '<');
  many += "a";
  CHECK(strip_html(many).size() == many.size());

  const auto p = extract(backend_title, backend_html, backend_req);
  CHECK_FALSE(has(p, "python"));  // only inside <script>
  const auto* go = find_skill(p, "go");
  REQUIRE(go);
  CHECK(go->evidence.size() <= 80);
  CHECK(go->evidence.find('<') == std::string::npos);
  CHECK(go->evidence.find("Go") != std::string::npos);
}

TEST_CASE("content_gen: extraction is one pass over long texts", "[content_gen]") {
  // 40,000 sentences (~400,000 words): a quadratic scan would not finish within the test timeout.
  std::string text;
  for (int i = 0; i < 40000; ++i)
    text += "<li>Operate k8s clusters and write Go services, nice.</li>\n";
  const auto p = extract("Engineer", text);
  REQUIRE(has(p, "kubernetes"));
  CHECK(find_skill(p, "kubernetes")->mentions == 40000);
  CHECK(find_skill(p, "go")->mentions == 40000);
  CHECK(p.skills.size() == 2);
}

TEST_CASE("content_gen: arbitrary bytes never break extraction or the filters", "[content_gen]") {
  std::mt19937 rng(11);
  const std::string alphabet = "<>&;#/!-:.,()'\"x Go go R C++ k8s 5+ years Nice to have\n\t\xC2\xA0\xE2\x80\x94\xFF";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> len(0, 400);
  for (int i = 0; i < 300; ++i) {
    std::string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += alphabet[pick(rng)];
    const auto p = extract(s.substr(0, 40), s, s);
    for (const auto& m : p.skills) {
      CHECK(m.mentions > 0);
      CHECK(m.evidence.size() <= 80);
    }
    auto b = good_generated();
    b.prompt += s;
    (void)quality_check(b, {"kubernetes"}, {s}, tax());
    (void)shingle_similarity(s, b.prompt);
  }
}

TEST_CASE("content_gen: seniority from the title first then years", "[content_gen]") {
  CHECK(extract("Senior Backend Engineer", "").level == seniority::senior);
  CHECK(extract("Senior Backend Engineer", "").level_reason == "title says Senior");
  CHECK(extract("Sr. Data Engineer", "10+ years").level == seniority::senior);
  CHECK(extract("Staff Engineer", "").level == seniority::staff_plus);
  CHECK(extract("Senior Staff Engineer", "").level == seniority::staff_plus);
  CHECK(extract("Principal Product Manager", "").level == seniority::staff_plus);
  CHECK(extract("Tech Lead, Payments", "").level == seniority::staff_plus);
  CHECK(extract("Software Engineering Intern", "").level == seniority::intern);
  CHECK(extract("Junior Developer", "").level == seniority::junior);
  CHECK(extract("Associate Product Manager", "").level == seniority::junior);
  CHECK(extract("Graduate Data Analyst", "").level == seniority::junior);
  CHECK(extract("Lead Generation Specialist", "").level == seniority::mid);

  const auto y = [](const char* text) { return extract("Backend Engineer", text); };
  CHECK(y("You have 1 year of experience.").level == seniority::junior);
  CHECK(y("0-1 years of experience").level == seniority::junior);
  CHECK(y("at least 3 years of experience").level == seniority::mid);
  CHECK(*y("at least 3 years of experience").years == 3);
  CHECK(y("at least 3 years of experience").level_reason == "at least 3 years of experience");
  CHECK(y("4 years experience with Go").level == seniority::mid);
  CHECK(y("5+ years of experience").level == seniority::senior);
  CHECK(y("5+ years of experience").level_reason == "5+ years of experience");
  CHECK(*y("5-7 years of professional experience").years == 5);
  CHECK(*y("five years of industry experience").years == 5);
  CHECK(y("7 years of experience").level == seniority::senior);
  CHECK(y("8+ years building systems").level == seniority::staff_plus);
  CHECK(y("3 or more years in backend work").years == 3);
  CHECK_FALSE(y("We were founded 10 years ago.").years);
  CHECK_FALSE(y("Our product is 10 years old.").years);
  CHECK_FALSE(y("We have customers in 12 countries.").years);
  CHECK(y("").level == seniority::mid);
  CHECK_FALSE(y("").level_reason.empty());
  // The largest required figure wins; a "nice to have" figure only when there is no other.
  CHECK(*y("3+ years of Go. 6+ years of experience overall.").years == 6);
  CHECK(*y("3+ years of experience. Bonus: 9+ years of experience with Rust.").years == 3);
}

TEST_CASE("content_gen: category from the title else the majority of skills", "[content_gen]") {
  CHECK(extract("Senior Software Engineer", "").category == job_category::engineering);
  CHECK(extract("Data Engineer", "").category == job_category::data);
  CHECK(extract("Machine Learning Engineer", "").category == job_category::data);
  CHECK(extract("Product Manager", "").category == job_category::product);
  CHECK(extract("Product Designer", "").category == job_category::design);
  CHECK(extract("Account Executive", "").category == job_category::sales);
  CHECK(extract("Sales Engineer", "").category == job_category::sales);
  CHECK(extract("Customer Success Manager", "").category == job_category::support);
  CHECK(extract("Support Engineer", "").category == job_category::support);
  CHECK(extract("Growth Marketing Manager", "").category == job_category::marketing);
  CHECK(extract("Operations Manager", "").category == job_category::operations);
  // No category word in the title: the skills vote (soft skills do not).
  CHECK(extract("Team Member", "SQL, Tableau, pandas and statistics. Great communication.")
            .category == job_category::data);
  CHECK(extract("Team Member", "Zendesk, troubleshooting and customer service.").category ==
        job_category::support);
  CHECK(extract("Team Member", "").category == job_category::engineering);
}

TEST_CASE("content_gen: required versus nice to have", "[content_gen]") {
  const auto p = extract(backend_title, backend_html, backend_req);
  REQUIRE(has(p, "rust"));
  CHECK_FALSE(find_skill(p, "rust")->required);       // under "Nice to have"
  CHECK_FALSE(find_skill(p, "terraform")->required);  // same section
  REQUIRE(has(p, "redis"));
  CHECK_FALSE(find_skill(p, "redis")->required);  // "... is a plus"
  for (const char* s : {"go", "kubernetes", "postgresql", "kafka", "sql", "docker",
                        "distributed-systems", "observability"}) {
    INFO(s);
    REQUIRE(has(p, s));
    CHECK(find_skill(p, s)->required);
  }
  CHECK(has(p, "go-to-market"));  // "go-to-market partners", not Go
  // Required skills come first, then by mentions.
  bool seen_optional = false;
  for (const auto& m : p.skills) {
    if (!m.required) seen_optional = true;
    CHECK((m.required ? !seen_optional : true));
  }
  CHECK(p.skills.front().slug == "go");
  CHECK(p.level == seniority::senior);
  CHECK(*p.years == 5);
  CHECK(p.category == job_category::engineering);

  const auto a = extract(analyst_title, analyst_html);
  CHECK(a.category == job_category::data);
  CHECK(*a.years == 3);
  CHECK(a.level == seniority::mid);
  for (const char* s :
       {"sql", "python", "pandas", "tableau", "looker", "ab-testing", "statistics"}) {
    INFO(s);
    REQUIRE(has(a, s));
    CHECK(find_skill(a, s)->required);
  }
  for (const char* s : {"dbt", "airflow"}) {
    INFO(s);
    REQUIRE(has(a, s));
    CHECK_FALSE(find_skill(a, s)->required);
  }

  const auto s = extract(support_title, support_html);
  CHECK(s.category == job_category::support);
  CHECK_FALSE(has(s, "go"));
  CHECK(has(s, "zendesk"));
  CHECK(has(s, "troubleshooting"));
  CHECK(has(s, "knowledge-base"));
  CHECK(has(s, "customer-support"));
  CHECK(has(s, "communication"));
  CHECK(s.level == seniority::junior);  // 1 year
}

// ---- patterns
// --------------------------------------------------------------------------------------

TEST_CASE("content_gen: every shipped pattern parses and passes the quality filters",
          "[content_gen]") {
  const auto j = nlohmann::json::parse(shipped_patterns_json(), nullptr, false);
  REQUIRE(j.is_object());
  const auto& pats = shipped_patterns();
  CHECK(pats.size() == j["patterns"].size());  // none dropped by the parser
  std::set<std::string> ids;
  std::set<std::string> specific;
  std::set<content_kind> generic_kinds;
  for (const auto& p : pats) {
    INFO(p.id);
    CHECK(ids.insert(p.id).second);
    if (p.skill == "*") {
      generic_kinds.insert(p.body.kind);
    } else {
      specific.insert(p.skill);
      CHECK(tax().find(p.skill) != nullptr);
    }
    const bool generic_coding = p.skill == "*" && p.body.kind == content_kind::coding;
    const std::string slug = p.skill != "*" ? p.skill : generic_coding ? "python" : "kubernetes";
    // Fill it the way the proposer does.
    content_item_body b = p.body;
    const std::string label = tax().find(slug)->label;
    for (std::string* s :
         {&b.title, &b.prompt, &b.guidance.strong, &b.guidance.acceptable, &b.guidance.weak}) {
      for (auto pos = s->find("{skill}"); pos != std::string::npos; pos = s->find("{skill}"))
        s->replace(pos, 7, label);
    }
    if (generic_coding) {
      REQUIRE(b.coding);
      // Starter code for every language it allows (the proposer keeps the skill's one).
      for (const auto& lang : b.coding->languages) CHECK(b.coding->starter_code.count(lang));
      b.coding->languages = {slug};
      b.coding->starter_code = {{slug, b.coding->starter_code.at(slug)}};
    }
    b.skills = {slug};
    b.seniorities = {seniority::senior};
    b.categories = {job_category::engineering};
    const auto v = quality_check(b, {slug}, {}, tax());
    for (const auto& r : v.reasons) UNSCOPED_INFO(r);
    CHECK(v.ok);
  }
  CHECK(specific.size() >= 30);
  CHECK(generic_kinds.count(content_kind::technical));
  CHECK(generic_kinds.count(content_kind::behavioral));
  CHECK(generic_kinds.count(content_kind::system_design));
}

// ---- proposal
// --------------------------------------------------------------------------------------

TEST_CASE("content_gen: a proposal covers from the library first and generates for gaps",
          "[content_gen]") {
  const auto profile = extract(backend_title, backend_html, backend_req);
  const auto library = backend_library();
  proposal_options opt;
  opt.target_minutes = 90;
  const auto p = propose_template(profile, library, shipped_patterns(), tax(), opt);

  // The library items that cover profile skills are used (item 1 at its newest version), the
  // Figma item is not.
  std::set<std::string> used;
  for (const auto& e : p.entries) {
    CHECK(e.library.has_value() != e.generated_index.has_value());
    if (e.library) {
      used.insert(e.library->item_id);
      if (e.library->item_id == "00000000-0000-4000-8000-000000000001")
        CHECK(e.library->version == 1);
    }
  }
  CHECK(used.count("00000000-0000-4000-8000-000000000001"));
  CHECK(used.count("00000000-0000-4000-8000-000000000002"));
  CHECK(used.count("00000000-0000-4000-8000-000000000003"));
  CHECK(used.count("00000000-0000-4000-8000-000000000004"));  // the behavioral one
  CHECK_FALSE(used.count("00000000-0000-4000-8000-000000000005"));

  // Kafka has no library item: a draft from its own pattern covers it.
  REQUIRE_FALSE(p.generated.empty());
  const auto kafka = std::find_if(
      p.generated.begin(), p.generated.end(),
      [](const generated_item& g) { return g.body.skills == std::vector<std::string>{"kafka"}; });
  REQUIRE(kafka != p.generated.end());
  CHECK(kafka->rule == "pattern:kafka:semantics");
  CHECK(kafka->origin == "generated from job {job_id} by rule pattern:kafka:semantics");
  CHECK(kafka->body.seniorities == std::vector<seniority>{seniority::senior});
  CHECK(kafka->body.level == difficulty::hard);
  CHECK(kafka->body.prompt.find("{skill}") == std::string::npos);

  // No generated draft for a skill the library already covers.
  for (const auto& g : p.generated) {
    for (const char* s : {"go", "kubernetes", "postgresql", "sql", "docker", "mentoring"})
      CHECK(g.body.skills[0] != s);
  }
  // Every draft passes the filters against the library and the other drafts.
  std::vector<std::string> texts;
  for (const auto& c : library) texts.push_back(c.body.title + "\n" + c.body.prompt);
  for (std::size_t i = 0; i < p.generated.size(); ++i) {
    std::vector<std::string> others = texts;
    for (std::size_t k = 0; k < p.generated.size(); ++k) {
      if (k != i) others.push_back(p.generated[k].body.title + "\n" + p.generated[k].body.prompt);
    }
    const auto v = quality_check(p.generated[i].body, p.generated[i].body.skills, others, tax());
    for (const auto& r : v.reasons) UNSCOPED_INFO(r);
    CHECK(v.ok);
  }

  // Interview order and the time budget.
  const std::vector<std::string> order = {"Behavioral", "Technical", "System design", "Coding"};
  int last = -1, total = 0;
  for (const auto& e : p.entries) {
    const int rank =
        static_cast<int>(std::find(order.begin(), order.end(), e.section) - order.begin());
    CHECK(rank < 4);
    CHECK(rank >= last);
    last = rank;
    total += e.time_limit_minutes;
  }
  CHECK(p.entries.front().section == "Behavioral");
  CHECK(total == p.total_minutes);
  CHECK(p.total_minutes <= 99);
  CHECK(static_cast<int>(p.entries.size()) <= opt.max_items);
  CHECK(static_cast<int>(p.generated.size()) <= opt.max_generated);
}

TEST_CASE("content_gen: a proposal from the shipped starter library", "[content_gen]") {
  std::vector<library_candidate> library;
  const auto j = nlohmann::json::parse(starter_library_json(), nullptr, false);
  REQUIRE(j.is_object());
  for (const auto& item : j["items"]) {
    library_candidate c;
    c.item_id = item.value("key", "");
    if (item.contains("body") && parse_item_body(item["body"], c.body).empty())
      library.push_back(std::move(c));
  }
  if (library.size() < 100) return;  // the starter library is not written yet
  const auto profile = extract(backend_title, backend_html, backend_req);
  proposal_options opt;
  opt.target_minutes = 90;
  const auto p = propose_template(profile, library, shipped_patterns(), tax(), opt);
  const auto from_library =
      std::count_if(p.entries.begin(), p.entries.end(),
                    [](const proposed_entry& e) { return e.library.has_value(); });
  CHECK(from_library >= 5);
  CHECK(p.entries.front().section == "Behavioral");
  for (const char* s : {"go", "kubernetes", "postgresql", "kafka"}) {
    INFO(s);
    const auto row = std::find_if(p.coverage.begin(), p.coverage.end(),
                                  [&](const skill_coverage& c) { return c.skill == s; });
    REQUIRE(row != p.coverage.end());
    CHECK(row->covered);
    CHECK(row->by.front().rfind("library:starter:", 0) == 0);
  }
  std::vector<std::string> texts;
  for (const auto& c : library) texts.push_back(c.body.title + "\n" + c.body.prompt);
  for (const auto& g : p.generated) {
    INFO(g.rule);
    // A draft only for a skill nothing covered before it: it is the first thing its row names.
    const auto row =
        std::find_if(p.coverage.begin(), p.coverage.end(),
                     [&](const skill_coverage& c) { return c.skill == g.body.skills[0]; });
    REQUIRE(row != p.coverage.end());
    CHECK(row->by.front() == "generated:" + std::to_string(&g - p.generated.data()));
    const auto v = quality_check(g.body, g.body.skills, texts, tax());
    for (const auto& r : v.reasons) UNSCOPED_INFO(r);
    CHECK(v.ok);
  }
}

TEST_CASE("content_gen: the coverage table says what covers each skill", "[content_gen]") {
  const auto profile = extract(backend_title, backend_html, backend_req);
  proposal_options opt;
  opt.target_minutes = 90;
  const auto p = propose_template(profile, backend_library(), shipped_patterns(), tax(), opt);
  REQUIRE(p.coverage.size() == profile.skills.size());
  for (std::size_t i = 0; i < p.coverage.size(); ++i) {
    const auto& row = p.coverage[i];
    INFO(row.skill);
    CHECK(row.skill == profile.skills[i].slug);
    CHECK(row.required == profile.skills[i].required);
    CHECK(row.label == tax().find(row.skill)->label);
    CHECK(row.covered == !row.by.empty());
    // Each "by" names an entry that lists the skill in its covers.
    for (const auto& by : row.by) {
      const bool found =
          std::any_of(p.entries.begin(), p.entries.end(), [&](const proposed_entry& e) {
            const std::string name = e.library ? "library:" + e.library->item_id + "@v" +
                                                     std::to_string(e.library->version)
                                               : "generated:" + std::to_string(*e.generated_index);
            return name == by &&
                   std::find(e.covers.begin(), e.covers.end(), row.skill) != e.covers.end();
          });
      CHECK(found);
    }
  }
  const auto row = [&](const char* slug) {
    return *std::find_if(p.coverage.begin(), p.coverage.end(),
                         [&](const skill_coverage& c) { return c.skill == slug; });
  };
  CHECK(row("go").by ==
        std::vector<std::string>{"library:00000000-0000-4000-8000-000000000001@v1"});
  CHECK(row("postgresql").by ==
        std::vector<std::string>{"library:00000000-0000-4000-8000-000000000003@v1"});
  CHECK(row("kafka").covered);
  CHECK(row("kafka").by.front().rfind("generated:", 0) == 0);

  // With room for only one item, most required skills stay uncovered and say so.
  proposal_options tight;
  tight.target_minutes = 15;
  const auto q = propose_template(profile, backend_library(), shipped_patterns(), tax(), tight);
  CHECK(q.total_minutes <= 16);
  const auto uncovered =
      std::count_if(q.coverage.begin(), q.coverage.end(),
                    [](const skill_coverage& c) { return c.required && !c.covered; });
  CHECK(uncovered > 0);
  for (const auto& c : q.coverage) CHECK(c.covered == !c.by.empty());
}

TEST_CASE("content_gen: proposals are deterministic whatever the library order", "[content_gen]") {
  const auto profile = extract(backend_title, backend_html, backend_req);
  auto library = backend_library();
  const auto a = summary(propose_template(profile, library, shipped_patterns(), tax()));
  const auto b = summary(propose_template(profile, library, shipped_patterns(), tax()));
  CHECK(a == b);
  std::mt19937 rng(7);
  for (int i = 0; i < 5; ++i) {
    std::shuffle(library.begin(), library.end(), rng);
    CHECK(summary(propose_template(profile, library, shipped_patterns(), tax())) == a);
  }
  CHECK(summary(propose_template(extract(backend_title, backend_html, backend_req),
                                 backend_library(), shipped_patterns(), tax())) == a);
}

TEST_CASE("content_gen: an empty library proposes only drafts and each passes", "[content_gen]") {
  for (const auto& [title, html] :
       std::vector<std::pair<const char*, const char*>>{{analyst_title, analyst_html},
                                                        {support_title, support_html},
                                                        {backend_title, backend_html}}) {
    INFO(title);
    const auto profile = extract(title, html);
    const auto p = propose_template(profile, {}, shipped_patterns(), tax());
    CHECK_FALSE(p.generated.empty());
    CHECK(p.entries.size() == p.generated.size());
    CHECK(static_cast<int>(p.generated.size()) <= 6);
    CHECK(p.total_minutes <= 66);
    std::set<std::string> rules;
    for (const auto& g : p.generated) {
      CHECK(rules.insert(g.rule).second);
      CHECK(g.body.categories.front() == profile.category);
      CHECK(validate_item_body(g.body).empty());
    }
    // Drafts are pairwise below the near-duplicate threshold.
    for (std::size_t i = 0; i < p.generated.size(); ++i) {
      for (std::size_t k = i + 1; k < p.generated.size(); ++k) {
        CHECK(shingle_similarity(p.generated[i].body.title + "\n" + p.generated[i].body.prompt,
                                 p.generated[k].body.title + "\n" + p.generated[k].body.prompt) <
              0.6);
      }
    }
  }
}

TEST_CASE("content_gen: a language skill without its own challenge gets the generic one",
          "[content_gen]") {
  const auto profile = extract("Engineer", "We write services in Kotlin.");
  REQUIRE(has(profile, "kotlin"));
  const auto p = propose_template(profile, {}, shipped_patterns(), tax());
  REQUIRE(p.generated.size() == 1);
  const auto& g = p.generated[0];
  CHECK(g.rule == "pattern:*:coding:window-max");
  REQUIRE(g.body.coding);
  CHECK(g.body.coding->languages == std::vector<std::string>{"kotlin"});
  CHECK(g.body.coding->starter_code.size() == 1);
  CHECK(g.body.coding->starter_code.count("kotlin"));
  CHECK(g.body.title == "Kotlin: the best sum of K consecutive values");
  CHECK(quality_check(g.body, {"kotlin"}, {}, tax()).ok);
  CHECK(p.entries[0].section == "Coding");
  // A non-language skill never gets a generic coding pattern.
  const auto q = propose_template(extract("Platform Engineer", "We run Kubernetes."), {},
                                  shipped_patterns(), tax());
  for (const auto& x : q.generated) CHECK(x.body.kind != content_kind::coding);
}

TEST_CASE("content_gen: a library item that says the same as a pattern blocks the draft",
          "[content_gen]") {
  // The library holds the Kafka pattern's own text, tagged with another skill: the pattern must
  // not be proposed again (near-duplicate), so Kafka gets another pattern or none.
  const auto profile = extract("Senior Backend Engineer", "Kafka is at the heart of our platform.");
  REQUIRE(has(profile, "kafka"));
  const auto& pats = shipped_patterns();
  const auto kp = std::find_if(pats.begin(), pats.end(), [](const question_pattern& q) {
    return q.id == "pattern:kafka:semantics";
  });
  REQUIRE(kp != pats.end());
  auto body = kp->body;
  body.skills = {"rabbitmq"};
  body.seniorities = {seniority::senior};
  body.categories = {job_category::engineering};
  std::vector<library_candidate> library{lib("00000000-0000-4000-8000-0000000000aa", body)};
  const auto p = propose_template(profile, library, pats, tax());
  for (const auto& g : p.generated) CHECK(g.rule != "pattern:kafka:semantics");
}

// ---- quality filters
// -----------------------------------------------------------------------------------

TEST_CASE("content_gen: quality_check accepts a good item and names each refusal",
          "[content_gen]") {
  const auto reasons_of = [](const content_item_body& b, std::vector<std::string> existing = {}) {
    return quality_check(b, {"kubernetes"}, existing, tax());
  };
  const auto has_reason = [](const quality_verdict& v, std::string_view part) {
    return std::any_of(v.reasons.begin(), v.reasons.end(),
                       [&](const std::string& r) { return r.find(part) != std::string::npos; });
  };
  {
    const auto v = reasons_of(good_generated());
    for (const auto& r : v.reasons) UNSCOPED_INFO(r);
    CHECK(v.ok);
  }
  SECTION("length bounds") {
    auto b = good_generated();
    b.prompt = "Kubernetes: explain probes.";
    auto v = reasons_of(b);
    CHECK_FALSE(v.ok);
    CHECK(has_reason(v, "prompt too short (27 < 40 chars)"));
    b = good_generated();
    b.prompt = "Kubernetes " + std::string(4000, 'x');
    CHECK(has_reason(reasons_of(b), "prompt too long"));
    b = good_generated();
    b.title = "K8s?";
    CHECK(has_reason(reasons_of(b), "title too short (4 < 8 chars)"));
  }
  SECTION("must address a target skill") {
    auto b = good_generated();
    b.title = "Rolling updates without errors";
    b.prompt =
        "A rollout causes a short spike of errors. Which probes and settings would you check?";
    const auto v = reasons_of(b);
    CHECK(has_reason(v, "does not name a target skill (kubernetes)"));
    b.prompt += " Assume k8s 1.29.";  // a synonym counts
    CHECK(reasons_of(b).ok);
    // An ambiguous name counts only as written.
    auto g = good_generated();
    g.title = "Shipping a service";
    g.prompt = "You go live next week with a new service. What do you check before you go ahead?";
    CHECK_FALSE(quality_check(g, {"go"}, {}, tax()).ok);
    g.prompt = "You go live next week with a new service written in Go. What do you check first?";
    CHECK(quality_check(g, {"go"}, {}, tax()).ok);
    CHECK(has_reason(quality_check(good_generated(), {}, {}, tax()), "no target skill"));
  }
  SECTION("near-duplicates") {
    const auto b = good_generated();
    const std::string same = b.title + "\n" + b.prompt;
    auto v = reasons_of(b, {"Something else entirely about databases and indexes.", same});
    CHECK_FALSE(v.ok);
    CHECK(has_reason(v, "near-duplicate of \"kubernetes rolling updates"));
    // A light rewording is still a near-duplicate; a different question is not.
    const std::string reworded =
        "Kubernetes: rolling updates without errors\nA Kubernetes rollout causes a short "
        "spike of errors. Which probes and settings would you check, and how would you "
        "verify the fix?";
    CHECK_FALSE(reasons_of(b, {reworded}).ok);
    CHECK(reasons_of(b, {"Kubernetes networking\nExplain how a Service routes traffic to pods and "
                         "what kube-proxy does."})
              .ok);
  }
  SECTION("personal data") {
    auto b = good_generated();
    b.prompt += " Send questions to jane.doe@acme-corp.com.";
    CHECK(has_reason(reasons_of(b), "e-mail address"));
    b = good_generated();
    b.prompt +=
        " Reply to candidate@example.com in the example.";  // documentation domains are fine
    CHECK(reasons_of(b).ok);
    b = good_generated();
    b.prompt += " Call 555-123-4567 for help.";
    CHECK(has_reason(reasons_of(b), "phone number"));
    b = good_generated();
    b.prompt += " Or +44 20 7946 0958.";
    CHECK(has_reason(reasons_of(b), "phone number"));
    b = good_generated();
    b.prompt += " Inputs are 1000 2000 3000 and the answer is mod 1000000007 on 2024-01-15.";
    CHECK(reasons_of(b).ok);
    b = good_generated();
    b.prompt += " Clone https://bob:hunter2@git.internal/repo.";
    CHECK(has_reason(reasons_of(b), "URL with user info"));
  }
  SECTION("coding structure") {
    content_item_body c = make_body(
        content_kind::coding, "Kubernetes: parse resource quantities",
        "Write a program that reads a Kubernetes memory quantity such as 512Mi and prints "
        "the number of bytes.",
        {"kubernetes"});
    coding_spec spec;
    spec.languages = {"python"};
    spec.starter_code = {{"python", "print(0)\n"}};
    spec.test_cases = {{"visible", "1Ki\n", "1024\n", true, 1},
                       {"hidden", "2Mi\n", "2097152\n", false, 1}};
    c.coding = spec;
    CHECK(reasons_of(c).ok);
    c.coding->test_cases[1].visible = true;
    CHECK(has_reason(reasons_of(c), "hidden test case"));
    c.coding = spec;
    c.coding->languages = {"python", "go"};
    CHECK(has_reason(reasons_of(c), "starter code for go"));
    c.coding.reset();
    CHECK_FALSE(reasons_of(c).ok);
  }
  SECTION("invalid structure") {
    auto b = good_generated();
    b.expected_minutes = 0;
    CHECK(has_reason(reasons_of(b), "invalid item"));
  }
}

TEST_CASE("content_gen: shingle similarity", "[content_gen]") {
  CHECK(shingle_similarity("the quick brown fox jumps", "the quick brown fox jumps") ==
        Approx(1.0));
  CHECK(shingle_similarity("The quick, brown fox jumps!", "the quick brown fox jumps") ==
        Approx(1.0));
  CHECK(shingle_similarity("alpha beta gamma delta", "one two three four") == Approx(0.0));
  CHECK(shingle_similarity("", "") == Approx(0.0));
  CHECK(shingle_similarity("a b c d e", "a b c d x") == Approx(2.0 / 4.0));
  const double s = shingle_similarity(
      "How do you design a rate limiter for an API with many clients and bursts",
      "How do you design a rate limiter for an API with many tenants and bursts");
  CHECK(s > 0.5);
  CHECK(s < 1.0);
}
