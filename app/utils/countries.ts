// The package's Node entry registers every locale it ships; it stays an external CommonJS module
// (its JSON locale files cannot be imported as ES modules without attributes).
import countries from 'i18n-iso-countries'
import { COUNTRY_ALIASES } from '../data/country-aliases'
import { UN_STATES, type UnState } from '../data/un-states'
import type { CountryOption } from './country-search'

/**
 * Languages country names are shown in. Wider than the interface's own LOCALES (app/i18n/locales.ts):
 * a country list can be offered in a language whose interface is not written yet.
 */
export const UI_LOCALES = ['en', 'fa', 'fr', 'es', 'ar'] as const
export type UiLocale = (typeof UI_LOCALES)[number]


/**
 * For signers who live in a country or territory that is neither a member nor an observer state:
 * counted in totals, addressed to no delegation. 'ZZ' is ISO 3166's user-assigned "unknown" code.
 */
export const ELSEWHERE = 'ZZ'

const ELSEWHERE_LABEL: Record<UiLocale, string> = {
  en: 'Another country or territory',
  fa: 'کشور یا سرزمینی دیگر',
  fr: 'Autre pays ou territoire',
  es: 'Otro país o territorio',
  ar: 'بلد أو إقليم آخر',
}

/**
 * Our names where i18n-iso-countries (CLDR-based) is wrong for this project. Rules:
 * - Short everyday names, the way the reader's language says them ("Iran", "Russia", "Syria"),
 *   the formal names being in UN_STATES[].unName for letters.
 * - Where a state asked the UN to call it by a new name and the UN did so in that language, that
 *   name (Türkiye, Eswatini, Czechia, Cabo Verde, Côte d'Ivoire, Myanmar, Timor-Leste, Belarus in
 *   fr/es/ar). Persian is not a UN language: there the common Persian name stays unless outdated.
 * - Nothing politically loaded; parallel cases treated alike ("Israel" and "Palestine", not one
 *   short and the other "State of ...").
 * - Every name distinct within a language (the two Congos, the two Koreas).
 * Entries equal to the package's value pin names that must not drift with a package update.
 */
export const COUNTRY_NAME_CORRECTIONS: Partial<Record<UiLocale, Record<string, string>>> = {
  en: {
    // The package gives a list of names for these; pinned so the choice never depends on its order.
    AE: 'United Arab Emirates',
    CD: 'Democratic Republic of the Congo',
    CG: 'Republic of the Congo',
    CI: "Côte d'Ivoire",
    CN: 'China',
    CZ: 'Czechia',
    GB: 'United Kingdom',
    GM: 'Gambia',
    IR: 'Iran',
    KR: 'South Korea',
    MK: 'North Macedonia',
    NL: 'Netherlands',
    PS: 'Palestine',
    RU: 'Russia',
    TR: 'Türkiye',
    TZ: 'Tanzania',
    US: 'United States',
    // Long, inverted or outdated forms.
    BN: 'Brunei',
    CV: 'Cabo Verde',
    FM: 'Micronesia',
    LA: 'Laos',
    MD: 'Moldova',
    ST: 'São Tomé and Príncipe',
    SY: 'Syria',
    VA: 'Holy See',
  },
  fa: {
    // Pinned: these must stay neutral whatever a package update brings.
    IL: 'اسرائیل',
    IR: 'ایران',
    // The package has "Palestinian territories".
    PS: 'فلسطین',
    MM: 'میانمار',
    SZ: 'اسواتینی',
    MK: 'مقدونیهٔ شمالی',
    CD: 'جمهوری دموکراتیک کنگو',
    CG: 'جمهوری کنگو',
  },
  fr: {
    AE: 'Émirats arabes unis',
    BN: 'Brunei',
    BY: 'Bélarus',
    CF: 'République centrafricaine',
    CI: "Côte d'Ivoire",
    CV: 'Cabo Verde',
    CZ: 'Tchéquie',
    DO: 'République dominicaine',
    SA: 'Arabie saoudite',
    SZ: 'Eswatini',
    TR: 'Türkiye',
    TZ: 'Tanzanie',
    US: 'États-Unis',
    VA: 'Saint-Siège',
  },
  es: {
    // The package gives a list of names; pinned as in en.
    IR: 'Irán',
    BN: 'Brunéi',
    BY: 'Belarús',
    CD: 'República Democrática del Congo',
    CG: 'República del Congo',
    CI: "Côte d'Ivoire",
    CZ: 'Chequia',
    GW: 'Guinea-Bisáu',
    KP: 'Corea del Norte',
    KR: 'Corea del Sur',
    LA: 'Laos',
    SY: 'Siria',
    SZ: 'Eswatini',
    TR: 'Türkiye',
  },
  ar: {
    BY: 'بيلاروس',
    CI: 'كوت ديفوار',
    CV: 'كابو فيردي',
    CZ: 'تشيكيا',
    FM: 'ميكرونيزيا',
    MM: 'ميانمار',
    SZ: 'إسواتيني',
    TL: 'تيمور-ليشتي',
    VA: 'الكرسي الرسولي',
  },
}

const STATE_BY_CODE: ReadonlyMap<string, UnState> = new Map(UN_STATES.map((state) => [state.code, state]))

/** The 195 codes of UN_STATES and ELSEWHERE. Case-sensitive: codes are stored upper case. */
export function isCountryCode(code: string): boolean {
  return code === ELSEWHERE || STATE_BY_CODE.has(code)
}

export function unState(code: string): UnState | undefined {
  return STATE_BY_CODE.get(code)
}

/** The short name a reader of `locale` expects; an unknown code comes back unchanged. */
export function countryName(code: string, locale: UiLocale): string {
  if (code === ELSEWHERE) return ELSEWHERE_LABEL[locale]
  if (!STATE_BY_CODE.has(code)) return code
  return COUNTRY_NAME_CORRECTIONS[locale]?.[code] ?? countries.getName(code, locale) ?? code
}

const optionsByLocale = new Map<UiLocale, CountryOption[]>()

/**
 * Every state in the reader's alphabetical order, then ELSEWHERE, each with the other names the
 * search finds it by (the English name, the aliases). Computed once per language.
 */
export function countryOptions(locale: UiLocale): CountryOption[] {
  const cached = optionsByLocale.get(locale)
  if (cached) return cached
  const collator = new Intl.Collator(locale)
  const options: CountryOption[] = UN_STATES.map(({ code }) => {
    const name = countryName(code, locale)
    const also = [...(locale === 'en' ? [] : [countryName(code, 'en')]), ...(COUNTRY_ALIASES[code] ?? [])].filter((a) => a !== name)
    return also.length ? { code, name, also } : { code, name }
  })
  options.sort((a, b) => collator.compare(a.name, b.name))
  options.push({ code: ELSEWHERE, name: ELSEWHERE_LABEL[locale] })
  optionsByLocale.set(locale, options)
  return options
}
