/**
 * The first campaign's copy in French, Spanish and Arabic: translations of the English copy in
 * db/seed.ts, in the same sober words. Amnesty International's words stay short, attributed
 * quotations (its material is CC BY-NC-ND): rendered faithfully, never adapted.
 */
export interface CampaignCopy {
  title: string
  summary: string
  story_md: string
  ask_md: string
}

export const fr: CampaignCopy = {
  title: 'Vérité et justice pour les victimes des massacres de prisonniers de 1988 en Iran',
  summary:
    'En 1988, des milliers de prisonniers politiques ont été exécutés en secret en Iran et enterrés dans des fosses anonymes. Personne n’a jamais été traduit en justice. Nous demandons à chaque État membre de l’ONU de dénoncer cette impunité.',
  story_md: `À l’été 1988, les autorités iraniennes ont soumis à une disparition forcée et exécuté de manière extrajudiciaire, en secret, des milliers d’opposants politiques détenus dans des prisons de tout le pays. Amnesty International a documenté ces tueries dans son rapport de 2018 *Blood-soaked secrets* (« Des secrets entachés de sang ») : les victimes ont été enterrées dans des fosses communes anonymes, et aucun responsable n’a jamais été traduit en justice.

Les prisonniers comparaissaient devant des comités que l’on a appelés les « commissions de la mort ». On les interrogeait sur leurs convictions politiques, et ceux qui refusaient de « se repentir » étaient envoyés à la mort. Le nombre des victimes reste inconnu : Amnesty International parle de milliers de personnes et a cité le chiffre d’au moins 5 000 ; certains groupes d’opposition l’estiment à 30 000.

Plus de trois décennies plus tard, la dissimulation se poursuit. Les familles qui demandent où leurs proches sont enterrés, ou qui commémorent l’anniversaire de leur mort, sont harcelées, intimidées et poursuivies.

En juillet 2019, Mostafa Pour-Mohammadi, ancien ministre de la Justice et de l’Intérieur, alors conseiller du chef du pouvoir judiciaire, a défendu ces tueries dans un entretien accordé à un magazine. Amnesty International a qualifié ses propos de « confirmation choquante du mépris délibéré des autorités pour le droit international relatif aux droits humains, à l’époque comme aujourd’hui », et a déclaré qu’il était d’autant « plus urgent que l’ONU et ses États membres s’élèvent ouvertement et fermement contre l’impunité systématique ».

En septembre 2020, sept experts des droits humains de l’ONU ont écrit au gouvernement iranien que ces tueries et leur dissimulation persistante « pourraient constituer des crimes contre l’humanité ». En juillet 2024, le rapporteur spécial de l’ONU sur la situation des droits humains en Iran, Javaid Rehman, a appelé à la création d’un mécanisme international d’enquête et d’établissement des responsabilités.

Amnesty International a renouvelé son appel aux Nations unies et à tous les États membres pour qu’ils « s’expriment fermement et ouvertement sur l’impunité systématique entourant les crimes contre l’humanité liés aux exécutions extrajudiciaires massives de 1988 ». Cette pétition porte cet appel à la mission permanente de chaque État membre, avec le nombre de personnes qui le soutiennent dans son propre pays.`,
  ask_md: `Nous demandons au gouvernement de chaque État membre de l’ONU :

1. de s’exprimer ouvertement et fermement, aux Nations unies et dans ses propres déclarations, contre l’impunité systématique qui entoure les exécutions extrajudiciaires massives de 1988 ;
2. de soutenir un mécanisme international et indépendant d’enquête et d’établissement des responsabilités ;
3. d’exiger la vérité sur le sort des victimes et l’emplacement de leurs dépouilles, ainsi que la protection des familles qui la recherchent.`,
}

export const es: CampaignCopy = {
  title: 'Verdad y justicia para las víctimas de las masacres en las cárceles de Irán en 1988',
  summary:
    'En 1988, miles de presos políticos fueron ejecutados en secreto en Irán y enterrados en fosas sin identificar. Nadie ha rendido cuentas ante la justicia. Pedimos a cada Estado miembro de la ONU que alce la voz contra esta impunidad.',
  story_md: `En el verano de 1988, las autoridades iraníes sometieron a desaparición forzada y ejecutaron extrajudicialmente, en secreto, a miles de disidentes políticos presos en cárceles de todo el país. Amnistía Internacional documentó los homicidios en su informe de 2018 *Blood-soaked secrets* («Secretos manchados de sangre»): las víctimas fueron enterradas en fosas comunes sin identificar y ningún responsable ha comparecido nunca ante la justicia.

Los presos eran llevados ante tribunales que llegaron a conocerse como «comisiones de la muerte». Se les interrogaba sobre sus convicciones políticas, y quienes no se «arrepentían» eran enviados a la muerte. Aún se desconoce el número de víctimas: Amnistía Internacional habla de miles y ha citado al menos 5.000; algunos grupos de oposición elevan la cifra a 30.000.

Más de tres décadas después, el encubrimiento continúa. Las familias que preguntan dónde están enterrados sus seres queridos, o que conmemoran el aniversario, sufren acoso, intimidación y procesamiento.

En julio de 2019, Mostafa Pour-Mohammadi, exministro de Justicia y del Interior y entonces asesor del jefe del poder judicial, defendió los homicidios en una entrevista con una revista. Amnistía Internacional calificó sus palabras de «confirmación escandalosa del desprecio deliberado de las autoridades por el derecho internacional de los derechos humanos, tanto entonces como ahora», y afirmó que esto hacía «aún más urgente que la ONU y sus Estados miembros se pronuncien abierta y firmemente contra la impunidad sistemática».

En septiembre de 2020, siete expertos en derechos humanos de la ONU escribieron al gobierno iraní que los homicidios y su continuo encubrimiento «pueden constituir crímenes de lesa humanidad». En julio de 2024, el relator especial de la ONU sobre la situación de los derechos humanos en Irán, Javaid Rehman, pidió un mecanismo internacional de investigación y rendición de cuentas.

Amnistía Internacional ha reiterado su llamamiento a las Naciones Unidas y a todos los Estados miembros para que «se pronuncien firme y abiertamente sobre la impunidad sistemática que rodea los crímenes de lesa humanidad relacionados con las ejecuciones extrajudiciales masivas de 1988». Esta petición lleva ese llamamiento a la misión permanente de cada Estado miembro, junto con el número de personas de su propio país que lo apoyan.`,
  ask_md: `Pedimos al gobierno de cada Estado miembro de la ONU que:

1. se pronuncie abierta y firmemente, en las Naciones Unidas y en sus propias declaraciones, contra la impunidad sistemática que rodea las ejecuciones extrajudiciales masivas de 1988;
2. apoye un mecanismo internacional e independiente de investigación y rendición de cuentas;
3. exija la verdad sobre la suerte de las víctimas y el lugar donde están sus restos, y la protección de las familias que la buscan.`,
}

export const ar: CampaignCopy = {
  title: 'الحقيقة والعدالة لضحايا مجازر السجون في إيران عام 1988',
  summary:
    'في عام 1988 أُعدم آلاف السجناء السياسيين سرًا في إيران ودُفنوا في مقابر لا تحمل أي علامات. ولم يُقدَّم أحد إلى العدالة حتى اليوم. نطالب كل دولة عضو في الأمم المتحدة برفع صوتها ضد هذا الإفلات من العقاب.',
  story_md: `في صيف عام 1988، أخضعت السلطات الإيرانية آلاف المعارضين السياسيين المسجونين للاختفاء القسري وأعدمتهم خارج نطاق القضاء، سرًا، في سجون في أنحاء البلاد. ووثّقت منظمة العفو الدولية عمليات القتل هذه في تقريرها الصادر عام 2018 بعنوان *Blood-soaked secrets* («أسرار ملطّخة بالدماء»): فقد دُفن الضحايا في مقابر جماعية لا تحمل أي علامات، ولم يُقدَّم أي مسؤول إلى العدالة قط.

كان السجناء يُمثَلون أمام هيئات عُرفت باسم «لجان الموت»، فيُسألون عن معتقداتهم السياسية، ومن يرفض منهم «التوبة» يُساق إلى الموت. ولا يزال عدد الضحايا مجهولًا: تتحدث منظمة العفو الدولية عن الآلاف وقد أشارت إلى 5000 ضحية على الأقل، فيما تقدّر بعض جماعات المعارضة العدد بنحو 30000.

وبعد أكثر من ثلاثة عقود، لا يزال التكتم مستمرًا. فالعائلات التي تسأل عن أماكن دفن أحبائها، أو تحيي ذكراهم السنوية، تتعرّض للمضايقة والترهيب والملاحقة القضائية.

في يوليو/تموز 2019، دافع مصطفى بور محمدي، وزير العدل والداخلية الأسبق ومستشار رئيس السلطة القضائية آنذاك، عن عمليات القتل في مقابلة مع إحدى المجلات. ووصفت منظمة العفو الدولية تصريحاته بأنها «تأكيد صادم على استخفاف السلطات المتعمّد بالقانون الدولي لحقوق الإنسان، في ذلك الوقت والآن»، وقالت إن ذلك يجعل «من الأكثر إلحاحًا أن تتحدث الأمم المتحدة والدول الأعضاء فيها بصراحة وحزم ضد الإفلات المنهجي من العقاب».

في سبتمبر/أيلول 2020، كتب سبعة من خبراء حقوق الإنسان في الأمم المتحدة إلى الحكومة الإيرانية أن عمليات القتل والتكتم المستمر عليها «قد ترقى إلى جرائم ضد الإنسانية». وفي يوليو/تموز 2024، دعا جاويد رحمن، المقرر الخاص للأمم المتحدة المعني بحالة حقوق الإنسان في إيران، إلى إنشاء آلية دولية للتحقيق والمساءلة.

وجدّدت منظمة العفو الدولية دعوتها الأمم المتحدة وجميع الدول الأعضاء إلى «التحدث بحزم وصراحة عن الإفلات المنهجي من العقاب المحيط بالجرائم ضد الإنسانية المتصلة بعمليات الإعدام الجماعية خارج نطاق القضاء عام 1988». وتحمل هذه العريضة تلك الدعوة إلى البعثة الدائمة لكل دولة عضو، مع عدد المؤيدين لها في بلدها.`,
  ask_md: `نطالب حكومة كل دولة عضو في الأمم المتحدة بأن:

1. تتحدث بصراحة وحزم، في الأمم المتحدة وفي بياناتها الخاصة، ضد الإفلات المنهجي من العقاب المحيط بعمليات الإعدام الجماعية خارج نطاق القضاء عام 1988؛
2. تدعم آلية دولية مستقلة للتحقيق والمساءلة؛
3. تضغط من أجل كشف الحقيقة بشأن مصير الضحايا وأماكن رفاتهم، ومن أجل حماية العائلات التي تسعى إليها.`,
}
