/**
 * Other names people type for a state: abbreviations, a constituent country for the whole, former
 * names, and everyday names in Persian and Arabic where the list's name is the formal one. Each alias
 * matches in every interface language (a Persian reader may type "usa"), and a whole-word match of
 * an alias ranks before a name that merely starts with the letters ("uk": the United Kingdom before
 * Ukraine). Names only, no political claim: an alias finds the state it is used for today.
 *
 * Sources: the English short and formal names and the former names in the UN Member States list
 * (un.org/en/about-us/member-states) and UNTERM (unterm.un.org) for English, French, Spanish and
 * Arabic; ISO 3166-1's alpha-2 codes for the two-letter abbreviations; for Persian, everyday names
 * in common use in the press (آمریکا, انگلیس, هلند), to be read by a native speaker with the rest.
 * Keep entries lower case or in their script's usual form; matching folds case, accents and
 * Arabic letter forms (`normalize` in app/components/sign-form.tsx).
 */
export const COUNTRY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  GB: [
    'UK',
    'GB',
    'Great Britain',
    'Britain',
    'England',
    'Scotland',
    'Wales',
    'Northern Ireland',
    'United Kingdom of Great Britain and Northern Ireland',
    'Royaume-Uni',
    'Angleterre',
    'Reino Unido',
    'Inglaterra',
    'انگلیس',
    'انگلستان',
    'بریتانیا',
    'بريطانيا',
    'إنجلترا',
    'انجلترا',
    'المملكة المتحدة',
  ],
  US: ['USA', 'US', 'America', 'United States of America', 'Amérique', 'EEUU', 'EE. UU.', 'Estados Unidos', 'آمریکا', 'امریکا', 'ایالات متحده', 'أمريكا', 'امريكا', 'الولايات المتحدة'],
  NL: ['Holland', 'Hollande', 'Holanda', 'هلند', 'هولندا'],
  IR: ['Persia', 'Perse', 'Islamic Republic of Iran', 'پارس', 'فارس'],
  AE: ['UAE', 'Emirates', 'امارات', 'الإمارات'],
  RU: ['Russian Federation', 'روسیه'],
  CZ: ['Czech Republic'],
  TR: ['Turkey', 'Turquie', 'Turquía', 'ترکیه', 'تركيا'],
  MK: ['Macedonia'],
  SZ: ['Swaziland'],
  MM: ['Burma', 'Birmanie', 'برمه'],
  CV: ['Cape Verde', 'Cap-Vert'],
  CI: ['Ivory Coast'],
  TL: ['East Timor'],
  KR: ['Korea', 'Republic of Korea', 'کره'],
  KP: ["Democratic People's Republic of Korea", 'DPRK'],
  CD: ['DRC', 'Congo-Kinshasa', 'Zaire'],
  CG: ['Congo-Brazzaville'],
  LK: ['Ceylon'],
  BD: ['East Pakistan'],
  BF: ['Upper Volta'],
  BJ: ['Dahomey'],
  KH: ['Kampuchea'],
  ZW: ['Rhodesia'],
  VA: ['Vatican', 'واتیکان', 'الفاتيكان'],
  DE: ['Deutschland', 'آلمان'],
  SA: ['KSA', 'عربستان', 'السعودية'],
  SY: ['Syrian Arab Republic'],
  BY: ['Belarus', 'Byelorussia', 'Biélorussie', 'Bielorrusia', 'بلاروس', 'روسيا البيضاء'],
  MD: ['Republic of Moldova'],
  TZ: ['United Republic of Tanzania'],
  LA: ["Lao People's Democratic Republic"],
  CH: ['Suisse', 'Schweiz', 'سوئیس'],
  AF: ['افغانستان'],
  IQ: ['عراق'],
}
