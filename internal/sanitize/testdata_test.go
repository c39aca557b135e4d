package sanitize

// Real-world clipboard HTML, as Word, Google Docs and LibreOffice put it
// on the clipboard (abridged to the parts that matter).

const wordPaste = `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15 (filtered)">
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Calibri",sans-serif;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]--></head>
<body lang=ES-PA style='tab-interval:35.4pt'>
<!--StartFragment-->
<h1 style='mso-margin-top-alt:auto'><span lang=ES-PA style='font-family:"Calibri Light"'>Registro biométrico de migrantes en tránsito<o:p></o:p></span></h1>
<p class=MsoNormal><b><span lang=ES-PA style='font-size:12.0pt'>Servicio Nacional de Migración</span></b><span lang=ES-PA> de Panamá, con apoyo de <a href="https://www.migracion.gob.pa/"><span style='color:#0563C1'>su sitio oficial</span></a>.<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Captura de huellas</p>
<ul style='margin-top:0cm' type=disc><li class=MsoNormal style='mso-list:l1 level1 lfo2'>Captura de huellas dactilares</li><li class=MsoNormal>Fotografía facial</li></ul>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'>
<tr style='mso-yfti-irow:0'><td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt'><p class=MsoNormal><b>Provincia<o:p></o:p></b></p></td><td width=301 valign=top><p class=MsoNormal><b>Registros</b></p></td></tr>
<tr><td>Darién</td><td>84&nbsp;000</td></tr></table>
<!--EndFragment-->
</body></html>`

const gdocsPaste = `<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5c1e7f3a-7fff-1b2c-8d4e-0a9b8c7d6e5f"><h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;"><span style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">Resultados</span></h2><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;">Se registraron </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;">120 000 personas</span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:italic;"> en tiempo real</span><span style="font-size:11pt;">. Ver </span><a href="https://www.gob.pa/" style="text-decoration:none;"><span style="font-size:11pt;color:#1155cc;text-decoration:underline;">gob.pa</span></a></p><ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" role="presentation" style="line-height:1.38;"><span style="font-size:11pt;">Interoperabilidad con Costa Rica</span></p></li></ul><div dir="ltr" style="margin-left:0pt;" align="left"><table style="border:none;border-collapse:collapse;"><colgroup><col width="200" /><col width="200" /></colgroup><tbody><tr style="height:0pt"><td style="border-left:solid #000000 1pt;vertical-align:top;padding:5pt 5pt 5pt 5pt;"><p dir="ltr" style="line-height:1.2;"><span style="font-size:11pt;">Paso Canoas</span></p></td></tr></tbody></table></div></b><br class="Apple-interchange-newline">`

const libreOfficePaste = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN"><html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"/><title></title><meta name="generator" content="LibreOffice 7.5.4.2 (Linux)"/><style type="text/css">@page { size: 21cm 29.7cm; margin: 2cm } p { line-height: 115%; margin-bottom: 0.25cm; background: transparent }</style></head><body lang="pt-BR" link="#000080" vlink="#800000" dir="ltr">
<h2 class="western" style="font-family: &quot;Liberation Sans&quot;">Lições aprendidas</h2>
<p style="line-height: 100%; margin-bottom: 0cm">A <font face="Liberation Serif"><b>interoperabilidade</b></font> entre os sistemas foi decisiva. Fonte: <a href="https://www.gov.br/"><font color="#000080"><span lang="zxx"><u>gov.br</u></span></font></a></p>
<ol><li><p style="margin-bottom: 0cm">Acolhimento em Pacaraima</p></li><li><p>Interiorização voluntária</p></li></ol>
<table width="100%" cellpadding="4" cellspacing="0"><col width="128*"/><tr valign="top"><td width="50%" style="border: 1px solid #000000; padding: 0.1cm"><p>Roraima</p></td></tr></table>
</body></html>`
