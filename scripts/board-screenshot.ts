import * as path from 'path';
import { BOARD_SCREENSHOT, writeBoardScreenshot } from '../dev/board-demo';
import { launchChromium } from '../dev/chromium';

// npm run board:screenshot: the trainer guide's picture of the class board, from the demo board.
async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    await writeBoardScreenshot(path.resolve(BOARD_SCREENSHOT), browser);
    console.log(`wrote ${BOARD_SCREENSHOT}`);
  } finally {
    await browser.close();
  }
}

void main();
