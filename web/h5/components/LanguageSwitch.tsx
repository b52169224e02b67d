import { Button, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { type Language, switchLanguage } from '../../shared/i18n.ts';

const LANGUAGES: Language[] = ['zh-CN', 'en-US'];

/** Chinese first, English second. Compact: one button naming the other language; full: both to pick from. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const current: Language = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
  if (compact) {
    const other: Language = current === 'zh-CN' ? 'en-US' : 'zh-CN';
    return (
      <Button size="small" fill="none" onClick={() => void switchLanguage(other)}>
        <span lang={other}>{t(`language.${other}`)}</span>
      </Button>
    );
  }
  return (
    <Selector
      aria-label={t('me.language')}
      columns={2}
      showCheckMark={false}
      value={[current]}
      options={LANGUAGES.map((language) => ({
        label: <span lang={language}>{t(`language.${language}`)}</span>,
        value: language,
      }))}
      onChange={(value) => {
        const next = value[0];
        if (next && next !== current) void switchLanguage(next);
      }}
    />
  );
}
