// The demo data: a small catalog, two accounts and a subscription. Every row
// has a fixed id so seeding twice converges on the same rows. The titles are
// invented; the Persian text is stored exactly as written here (RTL, with
// zero-width non-joiners where Persian spelling needs them).

export type Lang = 'fa' | 'en';

export interface SeedText {
  title: string;
  synopsis: string;
}

export interface SeedUser {
  id: string;
  email: string;
  phone: string | null;
  role: 'viewer' | 'editor' | 'admin';
  displayName: string;
  locale: Lang;
  /**
   * Argon2id PHC hash of the demo password (README, "Demo accounts"), made with
   * the edge's parameters (edge/src/lib/auth/password.ts). Demo data only: the
   * seed never runs in production.
   */
  passwordHash: string;
}

export interface SeedProfile {
  id: string;
  userId: string;
  name: string;
  isKids: boolean;
  maturityCap: 0 | 7 | 12 | 15 | 18;
  locale: Lang;
}

export interface SeedSubscription {
  id: string;
  userId: string;
  tier: 'free' | 'basic' | 'standard' | 'premium';
  /** Days from the seeding moment, so the demo subscription never lapses in a dev database. */
  periodDays: number;
}

export interface SeedGenre {
  id: string;
  slug: string;
  fa: string;
  en: string;
  sortOrder: number;
}

export interface SeedPerson {
  id: string;
  fa: string;
  en: string;
}

export interface SeedCredit {
  personId: string;
  role: 'actor' | 'voice' | 'director' | 'creator' | 'writer';
  character?: Record<Lang, string>;
  order: number;
}

export interface SeedEpisode {
  id: string;
  number: number;
  text: Record<Lang, SeedText>;
}

export interface SeedSeason {
  id: string;
  number: number;
  year: number;
  episodes: SeedEpisode[];
}

export interface SeedContent {
  id: string;
  type: 'movie' | 'series';
  slug: string;
  year: number;
  maturityRating: 0 | 7 | 12 | 15 | 18;
  originalLanguage: string;
  /**
   * The name as released abroad (festival and database listings spell Persian
   * titles in Latin letters, with accents), searched beside the translations.
   */
  originalTitle?: string;
  status: 'published' | 'scheduled';
  /** published_at for published rows, publish_at for scheduled ones. */
  at: string;
  genreIds: string[];
  text: Record<Lang, SeedText>;
  credits: SeedCredit[];
  seasons?: SeedSeason[];
}

export const USERS: SeedUser[] = [
  // Passwords: demo-admin-password, demo-viewer-password, demo-editor-password.
  { id: 'a0000000-0000-4000-8000-000000000001', email: 'admin@irdnl.local', phone: null, role: 'admin', displayName: 'Demo Admin', locale: 'en',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$plW1BcTyPmGDtM5MxR6qHQ$S5yL8JUKbcGNMMpU3JQAkII9JWdQZyv3aSWP0jrzeh8' },
  { id: 'a0000000-0000-4000-8000-000000000002', email: 'viewer@irdnl.local', phone: '+989120000001', role: 'viewer', displayName: 'سارا', locale: 'fa',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$9fNC6S6U55HzjonXnRWlPw$22gIwCQ4aqMoX51ba6KqAJ6j8G8mO85fNrg/ASXeO4Y' },
  { id: 'a0000000-0000-4000-8000-000000000003', email: 'editor@irdnl.local', phone: null, role: 'editor', displayName: 'Demo Editor', locale: 'fa',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$T/bvPXB/5LHUC+7NjrvGIg$f7Zg+eEfCXUH0tmr9SC9Yaqgu/mLbVCxe/GR21Xr5v8' },
];

export const PROFILES: SeedProfile[] = [
  { id: 'a1000000-0000-4000-8000-000000000001', userId: USERS[1]!.id, name: 'سارا', isKids: false, maturityCap: 18, locale: 'fa' },
  { id: 'a1000000-0000-4000-8000-000000000002', userId: USERS[1]!.id, name: 'کودک', isKids: true, maturityCap: 7, locale: 'fa' },
];

export const SUBSCRIPTIONS: SeedSubscription[] = [
  { id: 'a2000000-0000-4000-8000-000000000001', userId: USERS[1]!.id, tier: 'standard', periodDays: 30 },
];

const G = {
  drama: 'b0000000-0000-4000-8000-000000000001',
  documentary: 'b0000000-0000-4000-8000-000000000002',
  thriller: 'b0000000-0000-4000-8000-000000000003',
  mystery: 'b0000000-0000-4000-8000-000000000004',
  animation: 'b0000000-0000-4000-8000-000000000005',
  family: 'b0000000-0000-4000-8000-000000000006',
  scifi: 'b0000000-0000-4000-8000-000000000007',
  comedy: 'b0000000-0000-4000-8000-000000000008',
} as const;

export const GENRES: SeedGenre[] = [
  { id: G.drama, slug: 'drama', fa: 'درام', en: 'Drama', sortOrder: 1 },
  { id: G.documentary, slug: 'documentary', fa: 'مستند', en: 'Documentary', sortOrder: 2 },
  { id: G.thriller, slug: 'thriller', fa: 'هیجان‌انگیز', en: 'Thriller', sortOrder: 3 },
  { id: G.mystery, slug: 'mystery', fa: 'معمایی', en: 'Mystery', sortOrder: 4 },
  { id: G.animation, slug: 'animation', fa: 'انیمیشن', en: 'Animation', sortOrder: 5 },
  { id: G.family, slug: 'family', fa: 'خانوادگی', en: 'Family', sortOrder: 6 },
  { id: G.scifi, slug: 'sci-fi', fa: 'علمی‌تخیلی', en: 'Science Fiction', sortOrder: 7 },
  { id: G.comedy, slug: 'comedy', fa: 'کمدی', en: 'Comedy', sortOrder: 8 },
];

const P = {
  sara: 'f0000000-0000-4000-8000-000000000001',
  reza: 'f0000000-0000-4000-8000-000000000002',
  mina: 'f0000000-0000-4000-8000-000000000003',
  kaveh: 'f0000000-0000-4000-8000-000000000004',
} as const;

export const PEOPLE: SeedPerson[] = [
  { id: P.sara, fa: 'سارا احمدی', en: 'Sara Ahmadi' },
  { id: P.reza, fa: 'رضا کریمی', en: 'Reza Karimi' },
  { id: P.mina, fa: 'مینا تهرانی', en: 'Mina Tehrani' },
  { id: P.kaveh, fa: 'کاوه رستمی', en: 'Kaveh Rostami' },
];

export const CONTENT: SeedContent[] = [
  {
    id: 'c0000000-0000-4000-8000-000000000001',
    type: 'movie',
    slug: 'the-last-train-to-tabriz',
    year: 2019,
    maturityRating: 12,
    originalLanguage: 'fa',
    originalTitle: 'Âkharin Ghatâr-e Tabriz',
    status: 'published',
    at: '2025-01-10T08:00:00Z',
    genreIds: [G.drama],
    text: {
      fa: {
        title: 'آخرین قطار تبریز',
        synopsis: 'سوزنبان پیری که در آستانهٔ بازنشستگی است، در شب آخر کارش با مسافری غریبه روبه‌رو می‌شود که رازی از گذشتهٔ او را با خود آورده است.',
      },
      en: {
        title: 'The Last Train to Tabriz',
        synopsis: 'On his last night before retirement, an old railway switchman meets a stranger who carries a secret from his past.',
      },
    },
    credits: [
      { personId: P.mina, role: 'director', order: 0 },
      { personId: P.reza, role: 'actor', character: { fa: 'استاد جلال', en: 'Master Jalal' }, order: 1 },
      { personId: P.sara, role: 'actor', character: { fa: 'مسافر', en: 'The Passenger' }, order: 2 },
    ],
  },
  {
    id: 'c0000000-0000-4000-8000-000000000002',
    type: 'movie',
    slug: 'saffron-fields',
    year: 2021,
    maturityRating: 0,
    originalLanguage: 'fa',
    status: 'published',
    at: '2025-02-14T08:00:00Z',
    genreIds: [G.documentary],
    text: {
      fa: {
        title: 'مزرعه‌های زعفران',
        synopsis: 'روایتی از یک سال زندگی کشاورزان زعفران در خراسان جنوبی، از کاشت پیاز تا برداشت گل در سپیده‌دم پاییز.',
      },
      en: {
        title: 'Saffron Fields',
        synopsis: 'A year in the lives of saffron farmers in South Khorasan, from planting the corms to picking the flowers at an autumn dawn.',
      },
    },
    credits: [{ personId: P.mina, role: 'director', order: 0 }],
  },
  {
    id: 'c0000000-0000-4000-8000-000000000003',
    type: 'movie',
    slug: 'caspian-shadows',
    year: 2022,
    maturityRating: 15,
    originalLanguage: 'fa',
    originalTitle: 'Sâyehâ-ye Khazar',
    status: 'published',
    at: '2025-03-21T08:00:00Z',
    genreIds: [G.thriller, G.mystery],
    text: {
      fa: {
        title: 'سایه‌های خزر',
        synopsis: 'کارآگاهی جوان برای یافتن روزنامه‌نگاری گمشده به شهری ساحلی در گیلان می‌رود و درمی‌یابد که همه در این شهر چیزی را پنهان می‌کنند.',
      },
      en: {
        title: 'Caspian Shadows',
        synopsis: 'A young detective travels to a coastal town in Gilan to find a missing journalist, and learns that everyone in town is hiding something.',
      },
    },
    credits: [
      { personId: P.kaveh, role: 'director', order: 0 },
      { personId: P.sara, role: 'actor', character: { fa: 'کارآگاه نیلوفر', en: 'Detective Niloufar' }, order: 1 },
    ],
  },
  {
    id: 'c0000000-0000-4000-8000-000000000004',
    type: 'movie',
    slug: 'little-star-of-yazd',
    year: 2020,
    maturityRating: 0,
    originalLanguage: 'fa',
    status: 'published',
    at: '2025-04-02T08:00:00Z',
    genreIds: [G.animation, G.family],
    text: {
      fa: {
        title: 'ستارهٔ کوچک یزد',
        synopsis: 'دختری کنجکاو در کوچه‌های کاهگلی یزد بادگیری جادویی پیدا می‌کند که او را به سفری میان ستاره‌ها می‌برد.',
      },
      en: {
        title: 'Little Star of Yazd',
        synopsis: 'A curious girl in the mud-brick alleys of Yazd finds a magical windcatcher that carries her on a journey among the stars.',
      },
    },
    credits: [{ personId: P.sara, role: 'voice', character: { fa: 'ستاره', en: 'Setareh' }, order: 0 }],
  },
  {
    // Scheduled: shows up once the publishing job promotes it.
    id: 'c0000000-0000-4000-8000-000000000005',
    type: 'movie',
    slug: 'desert-signal',
    year: 2024,
    maturityRating: 12,
    originalLanguage: 'fa',
    originalTitle: 'Signâl-e Kavir',
    status: 'scheduled',
    at: '2030-01-01T00:00:00Z',
    genreIds: [G.scifi, G.mystery],
    text: {
      fa: {
        title: 'سیگنال کویر',
        synopsis: 'ستاره‌شناسی در رصدخانه‌ای دورافتاده در دشت لوت سیگنالی دریافت می‌کند که هر شب دقیقاً یک دقیقه زودتر تکرار می‌شود.',
      },
      en: {
        title: 'Desert Signal',
        synopsis: 'At a remote observatory in the Lut Desert, an astronomer picks up a signal that repeats exactly one minute earlier every night.',
      },
    },
    credits: [{ personId: P.reza, role: 'actor', character: { fa: 'دکتر بهرامی', en: 'Dr. Bahrami' }, order: 0 }],
  },
  {
    id: 'c0000000-0000-4000-8000-000000000006',
    type: 'series',
    slug: 'alborz-station',
    year: 2023,
    maturityRating: 12,
    originalLanguage: 'fa',
    status: 'published',
    at: '2025-05-01T08:00:00Z',
    genreIds: [G.drama, G.mystery],
    text: {
      fa: {
        title: 'ایستگاه البرز',
        synopsis: 'زندگی کارکنان یک ایستگاه هواشناسی در ارتفاعات البرز، وقتی زمستانی سخت آن‌ها را از دنیا جدا می‌کند.',
      },
      en: {
        title: 'Alborz Station',
        synopsis: 'The crew of a weather station high in the Alborz mountains, when a harsh winter cuts them off from the world.',
      },
    },
    credits: [
      { personId: P.kaveh, role: 'creator', order: 0 },
      { personId: P.sara, role: 'actor', character: { fa: 'سحر', en: 'Sahar' }, order: 1 },
      { personId: P.reza, role: 'actor', character: { fa: 'مهندس صدری', en: 'Engineer Sadri' }, order: 2 },
    ],
    seasons: [
      {
        id: 'd0000000-0000-4000-8000-000000000001',
        number: 1,
        year: 2023,
        episodes: [
          {
            id: 'e0000000-0000-4000-8000-000000000101',
            number: 1,
            text: {
              fa: { title: 'برف اول', synopsis: 'جاده بسته می‌شود و گروه تازه‌وارد باید با سوختی اندک تا بهار دوام بیاورد.' },
              en: { title: 'First Snow', synopsis: 'The road closes and the new crew must last until spring on too little fuel.' },
            },
          },
          {
            id: 'e0000000-0000-4000-8000-000000000102',
            number: 2,
            text: {
              fa: { title: 'رادیوی خاموش', synopsis: 'ارتباط رادیویی قطع می‌شود و سحر تصمیم می‌گیرد تنها به سراغ دکل برود.' },
              en: { title: 'The Silent Radio', synopsis: 'The radio goes dead and Sahar decides to climb to the mast alone.' },
            },
          },
          {
            id: 'e0000000-0000-4000-8000-000000000103',
            number: 3,
            text: {
              fa: { title: 'ردپا', synopsis: 'ردپاهایی تازه در برف پیدا می‌شود که به هیچ‌کدام از ساکنان ایستگاه تعلق ندارد.' },
              en: { title: 'Footprints', synopsis: 'Fresh footprints appear in the snow that belong to no one at the station.' },
            },
          },
        ],
      },
      {
        id: 'd0000000-0000-4000-8000-000000000002',
        number: 2,
        year: 2024,
        episodes: [
          {
            id: 'e0000000-0000-4000-8000-000000000201',
            number: 1,
            text: {
              fa: { title: 'بهار دیررس', synopsis: 'با آب شدن برف‌ها، بازرسی از تهران برای بررسی حوادث زمستان گذشته از راه می‌رسد.' },
              en: { title: 'Late Spring', synopsis: "As the snow melts, an inspector arrives from Tehran to look into last winter's events." },
            },
          },
          {
            id: 'e0000000-0000-4000-8000-000000000202',
            number: 2,
            text: {
              fa: { title: 'درهٔ پنهان', synopsis: 'نقشه‌ای قدیمی گروه را به دره‌ای می‌برد که روی هیچ نقشهٔ رسمی نیامده است.' },
              en: { title: 'The Hidden Valley', synopsis: 'An old map leads the crew to a valley that appears on no official map.' },
            },
          },
        ],
      },
    ],
  },
];

/** Object-store keys of a title's artwork; the files themselves are not part of the seed. */
export function imagesOf(slug: string): Record<'poster' | 'backdrop' | 'logo', string> {
  return {
    poster: `images/content/${slug}/poster.jpg`,
    backdrop: `images/content/${slug}/backdrop.jpg`,
    logo: `images/content/${slug}/logo.png`,
  };
}
