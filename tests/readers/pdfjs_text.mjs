// Open an encrypted PDF the way Firefox does (pdf.js) and print its text, page by page.
// Usage: node pdfjs_text.mjs FILE PASSWORD   -> exit 0 and the text; 3 for a refused password.
import { readFileSync } from "node:fs";
import { getDocument, PasswordResponses } from "pdfjs-dist/legacy/build/pdf.mjs";

const [file, password] = process.argv.slice(2);
const task = getDocument({ data: new Uint8Array(readFileSync(file)), password, verbosity: 0 });
try {
  const pdf = await task.promise;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    console.log(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
    console.log(`\f-- page ${n} of ${pdf.numPages}`);
  }
  process.exit(0);
} catch (error) {
  const refused = error?.name === "PasswordException";
  console.error(refused ? `pdf.js refused the password (${error.code === PasswordResponses.INCORRECT_PASSWORD ? "incorrect" : "needed"})` : String(error));
  process.exit(refused ? 3 : 1);
}
