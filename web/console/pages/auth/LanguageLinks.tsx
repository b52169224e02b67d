import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { switchLanguage } from '../../../shared/i18n.ts';

/** The language choice on pages outside the console frame (sign-in, forced password change). */
export function LanguageLinks() {
  const { i18n } = useTranslation();
  return (
    <Space className="language-links" size={0}>
      <Button type="link" disabled={i18n.language === 'zh-CN'} onClick={() => void switchLanguage('zh-CN')}>
        简体中文
      </Button>
      <Button type="link" disabled={i18n.language === 'en-US'} onClick={() => void switchLanguage('en-US')}>
        English
      </Button>
    </Space>
  );
}
