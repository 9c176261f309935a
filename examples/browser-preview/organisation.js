// The organisation the preview loads: a small first-aid training company running its CPR & BLS
// course. `rulebook` and `evidence` are exactly what the server would send to the engine
// (docs/spec.md §3–4); `display` holds the names people read, which the engine never sees (unknown
// members are input errors, so they stay out of the request).

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
    qualificationCodes: [{ code: "CPR", description: "CPR & Basic Life Support" }],
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
