// The organisation the preview loads: a small first-aid training company running its CPR & BLS
// course and recertifying workplace first aiders in AED use every year. `rulebook` and `evidence`
// are exactly what the server would send to the engine (docs/spec.md §3–4); `display` holds the
// names people read, which the engine never sees (unknown members are input errors, so they stay
// out of the request).

export const organisation = {
  name: "Northwind First Aid Training",
  asOf: "2026-04-20",

  rulebook: {
    achievements: [
      {
        id: "bls",
        name: "CPR & Basic Life Support",
        description: "Adult CPR, AED use and basic life support (RQF Level 2)",
        validity: { amount: 5, unit: "years" },
        validFrom: "award-date",
        renewal: { earlyWindowDays: 90 },
        certificate: "tpl-bls-2026",
        sequence: "seq-cpr",
      },
    ],
    sequences: [
      {
        id: "seq-cpr",
        name: "CPR & BLS certificates",
        start: 1,
        padding: 5,
        eventFormat: "{{course.code}}-{{award.year}}-{{sequence_number}}",
      },
    ],
    courseTemplates: [
      {
        id: "ct-cpr",
        code: "CPR",
        title: "CPR & BLS",
        delivery: "classroom",
        customFields: { accreditation: "RQF-L2" },
        achievements: [{ achievement: "bls", maxAbsences: 1, requireInvoicePaid: true }],
      },
    ],
    events: [
      {
        id: "ev-cpr-gla-0309",
        template: "ct-cpr",
        start: "2026-03-09",
        end: "2026-03-10",
        sessions: [
          { id: "s1", date: "2026-03-09" },
          { id: "s2", date: "2026-03-10" },
        ],
        customFields: { site: "Glasgow" },
      },
      {
        // The same course as a blended sitting: e-learning theory (pass mark 80) before two
        // practical days. The event's rule replaces the template's for this event only.
        id: "ev-cpr-edi-0413",
        template: "ct-cpr",
        delivery: "blended",
        start: "2026-04-13",
        end: "2026-04-14",
        sessions: [
          { id: "s1", date: "2026-04-13" },
          { id: "s2", date: "2026-04-14" },
        ],
        customFields: { site: "Edinburgh" },
        achievements: {
          inherit: true,
          rules: [{ achievement: "bls", maxAbsences: 1, requireInvoicePaid: true, minScore: 80 }],
        },
      },
    ],
    // Workplace first aiders complete a path: the CPR & BLS course and Emergency First Aid at Work
    // (taken elsewhere, a training record). The path awards nothing itself; it completes.
    learningPaths: [
      { id: "lp-first-aider", code: "FAPATH", title: "Workplace first aider", steps: [{ code: "CPR" }, { code: "EFAW" }], achievements: [] },
    ],
    qualificationCodes: [
      { code: "CPR", description: "CPR & Basic Life Support" },
      { code: "EFAW", description: "Emergency First Aid at Work" },
      { code: "FAPATH", description: "Workplace first aider path" },
    ],
    // Workplace first aiders keep their AED skills current with a yearly online update. The same
    // update feeds three recurring certifications, one per renewal basis (docs/spec.md §7,
    // Recertification), as in examples/org: a 60-day renewal window before each expiry and a
    // grace period after it.
    courses: [
      { id: "crs-aed", title: "AED & CPR update", code: "AED", published: true, gradedSteps: 2, groups: ["first-aiders"] },
    ],
    certifications: [
      {
        id: "cert-aed-anniversary",
        name: "AED Recertification (anniversary kept)",
        description: "Yearly; renewing early keeps the anniversary",
        certificate: "tpl-aed",
        renewal: { everyMonths: 12, basis: "expiry", windowDays: 60, lateGraceDays: 14 },
        effectiveFrom: "2023-01-01",
        courses: ["crs-aed"],
        minimumGrade: 80,
        groups: ["first-aiders"],
      },
      {
        id: "cert-aed-completion",
        name: "AED Recertification (from completion)",
        description: "Yearly from each completion; the first due 60 days after assignment",
        certificate: "tpl-aed",
        dueWithinDays: 60,
        renewal: { everyMonths: 12, basis: "completion", windowDays: 60, lateGraceDays: 14 },
        effectiveFrom: "2023-01-01",
        courses: ["crs-aed"],
        minimumGrade: 80,
        groups: ["first-aiders"],
      },
      {
        id: "cert-aed-season",
        name: "AED Recertification (April season)",
        description: "Every April, at least six months after completing",
        certificate: "tpl-aed",
        renewal: { everyMonths: 12, basis: "fixed", anchor: "2025-04-01", minimumActiveMonths: 6, windowDays: 60, lateGraceDays: 30 },
        effectiveFrom: "2023-01-01",
        courses: ["crs-aed"],
        minimumGrade: 80,
        groups: ["first-aiders"],
      },
    ],
  },

  evidence: {
    learners: [
      {
        id: "L-01", contact: "c-amara", account: "acme-logistics", event: "ev-cpr-gla-0309",
        invoice: { status: "paid", paidOn: "2026-03-02" },
        attendance: { s1: "present", s2: "present" },
      },
      {
        id: "L-02", contact: "c-ben", account: "acme-logistics", event: "ev-cpr-gla-0309",
        invoice: { status: "paid", paidOn: "2026-03-05" },
        attendance: { s1: "present", s2: "absent" },
      },
      {
        id: "L-03", contact: "c-chloe", account: "harbour-hotel", event: "ev-cpr-gla-0309",
        invoice: { status: "paid", paidOn: "2026-02-27" },
        attendance: { s1: "absent", s2: "absent" },
      },
      {
        id: "L-04", contact: "c-dev", account: "harbour-hotel", event: "ev-cpr-gla-0309",
        invoice: { status: "paid", paidOn: "2026-03-01" },
        attendance: { s1: "present" },
      },
      {
        id: "L-05", contact: "c-ella", account: "self-funded", event: "ev-cpr-gla-0309",
        invoice: { status: "unpaid" },
        attendance: { s1: "present", s2: "present" },
      },
      {
        id: "L-06", contact: "c-farah", account: "acme-logistics", event: "ev-cpr-gla-0309",
        invoice: { status: "paid", paidOn: "2026-03-03" },
        attendance: { s1: "present", s2: "present" },
      },
      {
        id: "L-07", contact: "c-gina", account: "city-council", event: "ev-cpr-edi-0413",
        invoice: { status: "none" },
        attendance: { s1: "present", s2: "present" },
        online: { progress: 100, score: 92, completedOn: "2026-04-08" },
      },
      {
        id: "L-08", contact: "c-hugo", account: "city-council", event: "ev-cpr-edi-0413",
        invoice: { status: "paid", paidOn: "2026-04-01" },
        attendance: { s1: "present", s2: "present" },
        online: { progress: 100, score: 88, completedOn: "2026-04-10" },
      },
      {
        id: "L-09", contact: "c-isla", account: "self-funded", event: "ev-cpr-edi-0413",
        invoice: { status: "paid", paidOn: "2026-04-02" },
        attendance: { s1: "present", s2: "present" },
        online: { progress: 100, score: 72, completedOn: "2026-04-09" },
      },
      {
        id: "L-10", contact: "c-jonas", account: "harbour-hotel", event: "ev-cpr-edi-0413",
        invoice: { status: "unpaid" },
        attendance: { s1: "present", s2: "excused" },
        online: { progress: 60 },
      },
      {
        // Kofi attended and paid, but the record issued to him was revoked: the outcome is
        // `revoked`, and nothing is issued again automatically.
        id: "L-11", contact: "c-kofi", account: "city-council", event: "ev-cpr-gla-0309",
        invoice: { status: "paid", paidOn: "2026-03-04" },
        attendance: { s1: "present", s2: "present" },
      },
    ],
    issued: [
      {
        // Farah's certificate was issued by the server after an earlier evaluation.
        id: "A-0412", achievement: "bls", contact: "c-farah", learner: "L-06", event: "ev-cpr-gla-0309",
        awardedOn: "2026-03-10", validFrom: "2026-03-10", expiresOn: "2031-03-10",
        identifier: "CPR-2026-00004", revoked: null,
      },
      {
        // Hugo's 2021 certificate runs out on 2026-05-18: renewing within 90 days keeps the anniversary.
        id: "A-0107", achievement: "bls", contact: "c-hugo", learner: "L-0031", event: "ev-cpr-2021-05",
        awardedOn: "2021-05-18", validFrom: "2021-05-18", expiresOn: "2026-05-18",
        identifier: "CPR-2021-00031", revoked: null,
      },
      {
        // Kofi's certificate, revoked after a complaint about the assessment.
        id: "A-0413", achievement: "bls", contact: "c-kofi", learner: "L-11", event: "ev-cpr-gla-0309",
        awardedOn: "2026-03-10", validFrom: "2026-03-10", expiresOn: "2031-03-10",
        identifier: "CPR-2026-00003",
        revoked: { on: "2026-04-02", by: "admin-3", reason: "assessment under review" },
      },
    ],
    sequenceState: { "seq-cpr": 5 },

    // Ben and Dev are on the first-aider path with their first aid records in: Ben's CPR & BLS (one
    // absence, the most allowed) completes it; Dev's waits for his second day.
    pathEnrollments: [
      { id: "PE-01", contact: "c-ben", path: "lp-first-aider", enrolledOn: "2026-02-01" },
      { id: "PE-02", contact: "c-dev", path: "lp-first-aider", enrolledOn: "2026-02-01" },
    ],
    trainingRecords: [
      { recordId: "TR-201", contact: "c-ben", title: "Emergency First Aid at Work", provider: "St Mungo's First Aid", completionDate: "2026-02-12", qualificationCode: "EFAW" },
      { recordId: "TR-202", contact: "c-dev", title: "Emergency First Aid at Work", provider: "St Mungo's First Aid", completionDate: "2026-02-20", qualificationCode: "EFAW" },
    ],

    // Who must hold which AED certification, their results in the AED update (pass mark 80), and
    // the certification records the server already holds.
    certificationAssignments: [
      { contact: "c-amara", certification: "cert-aed-anniversary", assignedOn: "2024-03-01", via: "group" },
      { contact: "c-hugo", certification: "cert-aed-anniversary", assignedOn: "2025-03-01", via: "group" },
      { contact: "c-ben", certification: "cert-aed-completion", assignedOn: "2025-05-01", via: "group" },
      { contact: "c-ella", certification: "cert-aed-completion", assignedOn: "2026-04-01", via: "individual" },
      { contact: "c-gina", certification: "cert-aed-completion", assignedOn: "2023-01-09", via: "group" },
      { contact: "c-jonas", certification: "cert-aed-completion", assignedOn: "2026-01-15", via: "group" },
      { contact: "c-farah", certification: "cert-aed-season", assignedOn: "2025-02-15", via: "group" },
      { contact: "c-isla", certification: "cert-aed-season", assignedOn: "2025-02-01", via: "group" },
      { contact: "c-kofi", certification: "cert-aed-season", assignedOn: "2024-09-01", via: "group" },
    ],
    courseResults: [
      // Amara renewed early in 2025: her anniversary (2 May) is kept, and her next window is open.
      { contact: "c-amara", course: "crs-aed", grade: 88, completedOn: "2024-05-02" },
      { contact: "c-amara", course: "crs-aed", grade: 91, completedOn: "2025-03-20" },
      // Hugo's certification lapsed on 2026-04-10: he is in the 14-day grace period.
      { contact: "c-hugo", course: "crs-aed", grade: 84, completedOn: "2025-04-10" },
      // Ben's first completion is not recorded yet: the server would certify it.
      { contact: "c-ben", course: "crs-aed", grade: 90, completedOn: "2025-09-15" },
      // Gina recertified once, then let it lapse in 2025.
      { contact: "c-gina", course: "crs-aed", grade: 82, completedOn: "2023-03-01" },
      { contact: "c-gina", course: "crs-aed", grade: 86, completedOn: "2024-02-20" },
      // Jonas scored below the pass mark, and his first certification was due on 2026-03-16.
      { contact: "c-jonas", course: "crs-aed", grade: 64, completedOn: "2026-03-02" },
      // Farah completed in November: the April season gives at least six months, so April 2027.
      { contact: "c-farah", course: "crs-aed", grade: 95, completedOn: "2025-11-20" },
      // Isla's season ended on 2026-04-01: 30 days of grace.
      { contact: "c-isla", course: "crs-aed", grade: 87, completedOn: "2025-03-25" },
      { contact: "c-kofi", course: "crs-aed", grade: 90, completedOn: "2024-10-01" },
      { contact: "c-kofi", course: "crs-aed", grade: 93, completedOn: "2025-03-05" },
    ],
    certified: [
      { id: "CERT-0101", contact: "c-amara", certification: "cert-aed-anniversary", cycle: 1, completedOn: "2024-05-02", validUntil: "2025-05-02", revoked: null },
      { id: "CERT-0162", contact: "c-amara", certification: "cert-aed-anniversary", cycle: 2, completedOn: "2025-03-20", validUntil: "2026-05-02", revoked: null },
      { id: "CERT-0170", contact: "c-hugo", certification: "cert-aed-anniversary", cycle: 1, completedOn: "2025-04-10", validUntil: "2026-04-10", revoked: null },
      { id: "CERT-0044", contact: "c-gina", certification: "cert-aed-completion", cycle: 1, completedOn: "2023-03-01", validUntil: "2024-03-01", revoked: null },
      { id: "CERT-0120", contact: "c-gina", certification: "cert-aed-completion", cycle: 2, completedOn: "2024-02-20", validUntil: "2025-02-20", revoked: null },
      { id: "CERT-0166", contact: "c-isla", certification: "cert-aed-season", cycle: 1, completedOn: "2025-03-25", validUntil: "2026-04-01", revoked: null },
      { id: "CERT-0131", contact: "c-kofi", certification: "cert-aed-season", cycle: 1, completedOn: "2024-10-01", validUntil: "2025-04-01", revoked: null },
      {
        // Revoked with his CPR certificate: the certification starts again from a new first cycle.
        id: "CERT-0158", contact: "c-kofi", certification: "cert-aed-season", cycle: 2, completedOn: "2025-03-05", validUntil: "2026-04-01",
        revoked: { on: "2026-04-02", by: "admin-3", reason: "assessment under review" },
      },
    ],
  },

  display: {
    events: {
      "ev-cpr-gla-0309": { title: "CPR & BLS — Glasgow", room: "Merchant City training room" },
      "ev-cpr-edi-0413": { title: "CPR & BLS (blended) — Edinburgh", room: "Leith Walk centre" },
    },
    sessions: { s1: "Day 1 · CPR & AED", s2: "Day 2 · BLS scenarios" },
    contacts: {
      "c-amara": "Amara Okafor",
      "c-ben": "Ben Carter",
      "c-chloe": "Chloé Martin",
      "c-dev": "Dev Patel",
      "c-ella": "Ella Nowak",
      "c-farah": "Farah Hussain",
      "c-gina": "Gina Rossi",
      "c-hugo": "Hugo Laurent",
      "c-isla": "Isla Byrne",
      "c-jonas": "Jonas Weber",
      "c-kofi": "Kofi Mensah",
    },
    accounts: {
      "acme-logistics": "Acme Logistics",
      "harbour-hotel": "Harbour Hotel",
      "city-council": "City Council",
      "self-funded": "Self-funded",
    },
  },
};
