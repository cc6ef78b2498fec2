import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from './schema'
import { ar, es, fr } from './seed-translations'

export const FIRST_CAMPAIGN_SLUG = 'justice-for-1988'

const sources = [
  {
    title: "Blood-soaked secrets: Why Iran's 1988 prison massacres are ongoing crimes against humanity (MDE 13/9421/2018)",
    publisher: 'Amnesty International',
    date: '2018-12-04',
    url: 'https://www.amnesty.org/en/documents/mde13/9421/2018/en/',
  },
  {
    title: 'Iran: UN calls for accountability on 1988 prison massacres marks turning point in three-decade struggle',
    publisher: 'Amnesty International',
    date: '2020-12-09',
    // The news item's own address is not confirmed: the link searches Amnesty's site for it.
    url: 'https://www.amnesty.org/en/search/?q=1988+prison+massacres+turning+point',
  },
  {
    title: 'Special Rapporteur on the situation of human rights in the Islamic Republic of Iran (Javaid Rehman): final findings, July 2024',
    publisher: 'Office of the UN High Commissioner for Human Rights',
    date: '2024-07',
    url: 'https://www.ohchr.org/en/special-procedures/sr-iran',
  },
]

const en = {
  title: 'Truth and justice for the victims of Iran’s 1988 prison massacres',
  summary:
    'In 1988 thousands of political prisoners were secretly executed in Iran and buried in unmarked graves. No one has been brought to justice. We ask every UN member state to speak out against this impunity.',
  story_md: `In the summer of 1988, the Iranian authorities forcibly disappeared and extrajudicially executed thousands of imprisoned political dissidents, in secret, in prisons across the country. Amnesty International documented the killings in its 2018 report *Blood-soaked secrets*: the victims were buried in unmarked mass graves, and no official has ever been brought to justice.

Prisoners were brought before panels that became known as “death commissions”. They were questioned about their political beliefs, and those who would not “repent” were sent to their deaths. The number of victims is still unknown: Amnesty International speaks of thousands and has cited at least 5,000; some opposition groups put the figure at 30,000.

More than three decades later, the concealment continues. Families who ask where their loved ones are buried, or who mark the anniversary, are harassed, intimidated and prosecuted.

In July 2019, Mostafa Pour-Mohammadi, a former justice and interior minister then advising the head of the judiciary, defended the killings in a magazine interview. Amnesty International called his comments a “shocking confirmation of the authorities’ wilful flouting of international human rights law both at the time and now”, and said that this made it “all the more urgent for the UN and its member states to speak openly and firmly against the systematic impunity”.

In September 2020, seven UN human rights experts wrote to the Iranian government that the killings and their ongoing concealment “may amount to crimes against humanity”. In July 2024, the UN Special Rapporteur on the situation of human rights in Iran, Javaid Rehman, called for an international investigative and accountability mechanism.

Amnesty International has renewed its call on the United Nations and all member states to “speak firmly and openly about the systematic impunity surrounding the crimes against humanity related to the mass extrajudicial executions of 1988”. This petition carries that call to the permanent mission of every member state, with the number of people in its own country who support it.`,
  ask_md: `We ask the government of each UN member state to:

1. speak openly and firmly, at the United Nations and in its own statements, against the systematic impunity surrounding the 1988 mass extrajudicial executions;
2. support an independent international investigation and accountability mechanism;
3. press for the truth about the victims’ fate and the location of their remains, and for the protection of the families who seek it.`,
}

const fa = {
  title: 'حقیقت و عدالت برای قربانیان کشتار زندانیان سیاسی در سال ۱۳۶۷',
  summary:
    'در تابستان ۱۳۶۷ هزاران زندانی سیاسی در ایران مخفیانه اعدام و در گورهای بی‌نشان دفن شدند. هیچ مسئولی تاکنون پاسخگو نشده است. از همه‌ی کشورهای عضو سازمان ملل می‌خواهیم در برابر این مصونیت از مجازات سکوت نکنند.',
  story_md: `در تابستان ۱۳۶۷ (۱۹۸۸ میلادی)، مقام‌های ایران هزاران زندانی سیاسی را در زندان‌های سراسر کشور به‌طور مخفیانه ناپدید قهری کردند و بدون محاکمه اعدام کردند. عفو بین‌الملل در گزارش سال ۲۰۱۸ خود با عنوان «رازهای خون‌آلود» این کشتار را مستند کرده است: قربانیان در گورهای جمعی بی‌نشان دفن شدند و هیچ مقامی تاکنون در برابر عدالت قرار نگرفته است.

زندانیان در برابر هیئت‌هایی که به «هیئت‌های مرگ» شهرت یافتند حاضر می‌شدند. از باورهای سیاسی‌شان پرسیده می‌شد و کسانی که حاضر به «توبه» نبودند به اعدام سپرده می‌شدند. شمار قربانیان هنوز روشن نیست: عفو بین‌الملل از هزاران نفر سخن می‌گوید و دست‌کم ۵٬۰۰۰ نفر را ذکر کرده است؛ برخی گروه‌های مخالف این شمار را ۳۰٬۰۰۰ نفر می‌دانند.

بیش از سه دهه پس از آن، پنهان‌کاری ادامه دارد. خانواده‌هایی که می‌پرسند عزیزانشان کجا به خاک سپرده شده‌اند، یا سالگرد آنان را گرامی می‌دارند، آزار می‌بینند، تهدید می‌شوند و تحت پیگرد قرار می‌گیرند.

در تیر ۱۳۹۸ (ژوئیه‌ی ۲۰۱۹)، مصطفی پورمحمدی، وزیر پیشین دادگستری و کشور و مشاور وقت رئیس قوه‌ی قضاییه، در گفت‌وگویی با یک مجله از این کشتار دفاع کرد. عفو بین‌الملل سخنان او را «تأییدی تکان‌دهنده بر بی‌اعتنایی عامدانه‌ی مقام‌ها به قوانین بین‌المللی حقوق بشر، هم در آن زمان و هم اکنون» خواند و گفت این امر «سخن گفتن آشکار و قاطع سازمان ملل و کشورهای عضو آن در برابر مصونیت نظام‌مند از مجازات» را ضروری‌تر می‌کند.

در شهریور ۱۳۹۹ (سپتامبر ۲۰۲۰)، هفت کارشناس حقوق بشر سازمان ملل به دولت ایران نوشتند که این کشتار و پنهان‌کاری ادامه‌دار درباره‌ی آن «ممکن است جنایت علیه بشریت باشد». در تیر ۱۴۰۳ (ژوئیه‌ی ۲۰۲۴)، جاوید رحمان، گزارشگر ویژه‌ی سازمان ملل در امور وضعیت حقوق بشر در ایران، خواستار سازوکاری بین‌المللی برای تحقیق و پاسخگویی شد.

عفو بین‌الملل درخواست خود از سازمان ملل و همه‌ی کشورهای عضو را تکرار کرده است که «به‌طور قاطع و آشکار درباره‌ی مصونیت نظام‌مند از مجازات در پیوند با جنایت علیه بشریت ناشی از اعدام‌های فراقضایی گسترده‌ی سال ۱۹۸۸ سخن بگویند». این دادخواست همین درخواست را، همراه با شمار کسانی که در هر کشور از آن پشتیبانی می‌کنند، به نمایندگی دائم آن کشور در سازمان ملل می‌رساند.`,
  ask_md: `از دولت هر یک از کشورهای عضو سازمان ملل می‌خواهیم:

۱. در سازمان ملل و در بیانیه‌های خود، به‌طور آشکار و قاطع در برابر مصونیت نظام‌مند از مجازات در پیوند با اعدام‌های فراقضایی گسترده‌ی ۱۳۶۷ سخن بگوید؛
۲. از سازوکاری مستقل و بین‌المللی برای تحقیق و پاسخگویی پشتیبانی کند؛
۳. برای روشن شدن حقیقت درباره‌ی سرنوشت قربانیان و محل بقایای آنان، و برای حمایت از خانواده‌هایی که در پی آن هستند، پافشاری کند.`,
}

const copies = { en, fa, fr, es, ar } as const

/**
 * Seeds the first campaign once; later starts leave it (and any edits organisers made) alone, only
 * adding a language the seed has and the database lacks, so databases created before a translation
 * was written get it too.
 */
export async function seedFirstCampaign(db: Kysely<Database>, now = Date.now()): Promise<boolean> {
  const existing = await db.selectFrom('campaigns').select('id').where('slug', '=', FIRST_CAMPAIGN_SLUG).executeTakeFirst()
  if (existing) {
    await addMissingTranslations(db, existing.id, now)
    return false
  }
  await db.transaction().execute(async (trx) => {
    const id = randomUUID()
    await trx
      .insertInto('campaigns')
      .values({
        id,
        slug: FIRST_CAMPAIGN_SLUG,
        status: 'open',
        default_locale: 'en',
        goal: 100_000,
        sources_json: JSON.stringify(sources),
        sort_order: 0,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await addMissingTranslations(trx, id, now)
    await trx
      .insertInto('campaign_counts')
      .values({ campaign_id: id, verified_count: 0, withdrawn_count: 0, invalidated_count: 0, updated_at: now })
      .execute()
    // Its signers from Iran are the people the campaign is about, and the most at risk (ADR 085).
    await trx.insertInto('campaign_risk_states').values({ campaign_id: id, country_code: 'IR', marked_by: null, marked_at: now }).execute()
  })
  return true
}

async function addMissingTranslations(db: Kysely<Database>, campaignId: string, now: number) {
  await db
    .insertInto('campaign_translations')
    .values(Object.entries(copies).map(([locale, copy]) => ({ campaign_id: campaignId, locale, ...copy, updated_at: now })))
    // An existing row may hold an organiser's edits: it wins.
    .onConflict((oc) => oc.columns(['campaign_id', 'locale']).doNothing())
    .execute()
}
