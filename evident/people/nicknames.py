"""Common English given names and the short forms people go by (Bill for William).

A small table written for matching, not a complete one: each formal name maps to the
names it is often shortened to. ``NICKNAMES`` and ``FORMAL_NAMES`` read it both ways, so
"Bill" finds William and "William" finds Bill (and Will, Liam, ...). Names are upper case.
"""

from __future__ import annotations

_TABLE = """
ABIGAIL: ABBY ABBIE ABI GAIL
ALEXANDER: ALEX ALEC ALI SANDY XANDER LEX
ALEXANDRA: ALEX ALEXA LEXI LEXIE SANDRA SANDY ALLY
ALFRED: ALF ALFIE FRED FREDDIE
ALISON: ALI ALLY
AMELIA: MILLIE AMY MELIA
ANDREW: ANDY DREW
ANGELA: ANGIE
ANN: ANNIE NAN NANCY
ANNE: ANNIE NAN NANCY
ANTHONY: TONY ANT
ARCHIBALD: ARCHIE ARCH
ARTHUR: ART ARTIE
BARBARA: BARB BARBIE BABS
BARTHOLOMEW: BART
BEATRICE: BEA BEE TRIXIE
BENJAMIN: BEN BENNY BENJI
BERNARD: BERNIE
BRADLEY: BRAD
BRIDGET: BIDDY BRIDIE
CAMERON: CAM
CAROLINE: CARRIE CARO LINA
CATHERINE: CATH CATHY CATE CAT KATE KATIE KAT KITTY
CHARLES: CHARLIE CHAS CHUCK CHAZ
CHARLOTTE: CHARLIE LOTTIE LOTTE CHARLEY
CHRISTIAN: CHRIS
CHRISTINA: CHRIS TINA CHRISSIE
CHRISTINE: CHRIS TINA CHRISSIE
CHRISTOPHER: CHRIS KIT TOPHER
CLIFFORD: CLIFF
CONSTANCE: CONNIE
CORNELIUS: NEIL CONNOR
CYNTHIA: CINDY
DANIEL: DAN DANNY
DANIELLE: DANI ELLE
DAVID: DAVE DAVY DAI
DEBORAH: DEB DEBBIE DEBS
DENNIS: DENNY
DOMINIC: DOM
DONALD: DON DONNIE
DOROTHY: DOT DOTTIE DOLLY
DOUGLAS: DOUG DOUGIE
EDWARD: ED EDDIE TED TEDDY NED
EDMUND: ED EDDIE NED
ELEANOR: ELLIE NELL NELLIE ELLA NORA
ELIZABETH: LIZ LIZZIE LIZZY BETH BETTY BESS BESSIE ELIZA ELSIE LIBBY BETSY LISA ELLIE
ELLEN: ELLIE NELL NELLIE
EMILY: EM EMMY MILLIE
EMMA: EM EMMY
EUGENE: GENE
FLORENCE: FLO FLOSSIE FLORRIE
FRANCES: FRAN FRANNIE FRANKIE
FRANCIS: FRANK FRANKIE
FREDERICK: FRED FREDDIE FREDDY
GABRIEL: GABE GABBY
GABRIELLA: GABBY ELLA
GABRIELLE: GABBY ELLE
GEOFFREY: GEOFF JEFF
GEORGE: GEORGIE
GEORGINA: GEORGIE GINA
GERALD: GERRY JERRY
GREGORY: GREG
HAROLD: HAL HARRY
HARRIET: HATTIE HARRIE
HENRY: HARRY HAL HANK
HERBERT: BERT HERB
ISAAC: IKE ZAC
ISABEL: IZZY ISSY BELLA BELLE
ISABELLA: IZZY ISSY BELLA BELLE
ISABELLE: IZZY ISSY BELLA BELLE
JACOB: JAKE JAC
JACQUELINE: JACKIE
JAMES: JIM JIMMY JAMIE JIMBO
JANET: JAN
JEFFREY: JEFF
JENNIFER: JEN JENNY JENNI
JEREMY: JERRY
JESSICA: JESS JESSIE
JOANNA: JO
JOANNE: JO
JOHN: JACK JOHNNY JON
JONATHAN: JON JONNY NATHAN
JOSEPH: JOE JOEY JO
JOSEPHINE: JO JOSIE
JOSHUA: JOSH
JUDITH: JUDY JUDE
KATHERINE: KATE KATIE KATH KATHY KAT KITTY
KATHRYN: KATE KATIE KATH KATHY
KENNETH: KEN KENNY
KIMBERLEY: KIM
KIMBERLY: KIM
LAWRENCE: LARRY LAURIE
LEONARD: LEN LENNY LEO
LEWIS: LOU LOUIE
LOUIS: LOU LOUIE
LOUISA: LOU LOUIE
LOUISE: LOU LOUIE
LUCINDA: LUCY CINDY
MADELEINE: MADDIE MADDY
MADISON: MADDIE MADDY
MARGARET: MAGGIE MEG PEGGY MADGE MAISIE MARGIE PEG
MATILDA: TILLY TILDA MATTIE
MATTHEW: MATT MATTY
MAXIMILIAN: MAX
MAXWELL: MAX
MICHAEL: MIKE MICK MICKY MIKEY MITCH
MICHELLE: SHELLY MICHE
MILDRED: MILLIE
NATHAN: NATE
NATHANIEL: NAT NATE NATHAN
NICHOLAS: NICK NICKY
NICOLA: NICKY NIKKI
NICOLE: NICKY NIKKI
OLIVER: OLLIE OLLY
OLIVIA: LIVVY LIV OLLIE LIVIA
PAMELA: PAM
PATRICIA: PAT PATTY TRICIA TRISH
PATRICK: PAT PADDY PADRAIG
PENELOPE: PENNY
PETER: PETE
PHILIP: PHIL PIP
PHILLIP: PHIL PIP
PHOEBE: PHEBE
PRISCILLA: CILLA PRISSY
RACHEL: RACH
REBECCA: BECKY BECCA BEX BECKIE
RICHARD: RICH RICHIE RICK RICKY DICK
ROBERT: ROB ROBBIE BOB BOBBY BERT
RODNEY: ROD
ROGER: RODGE
RONALD: RON RONNIE
ROSALIND: ROS ROZ
ROSEMARY: ROSIE ROSE
SAMANTHA: SAM SAMMY
SAMUEL: SAM SAMMY
SARAH: SAL SALLY SADIE
SEBASTIAN: SEB SEBBY
SOPHIA: SOPHIE
STEPHANIE: STEPH STEVIE
STEPHEN: STEVE STEVIE
STEVEN: STEVE STEVIE
STUART: STU
SUSAN: SUE SUSIE SUZY
SUZANNE: SUE SUZY
TERENCE: TERRY TEL
THEODORE: THEO TED TEDDY
THERESA: TESS TESSA TERRI
THOMAS: TOM TOMMY
TIMOTHY: TIM TIMMY
VALERIE: VAL
VICTORIA: VICKY VICKIE TORI TORY
VINCENT: VINCE VINNY
VIRGINIA: GINNY
WALTER: WALT WALLY
WILLIAM: BILL BILLY BILLIE WILL WILLIE WILLY LIAM
WINIFRED: WINNIE
ZACHARY: ZAC ZACK ZAK
"""


def _parse(text: str) -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in text.strip().splitlines():
        formal, _, shorts = line.partition(":")
        table[formal.strip()] = frozenset(shorts.split())
    return table


# Formal name -> its short forms ("WILLIAM" -> {"BILL", "WILL", ...}).
NICKNAMES: dict[str, frozenset[str]] = _parse(_TABLE)


def _invert(table: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for formal, shorts in table.items():
        for short in shorts:
            found.setdefault(short, set()).add(formal)
    return {short: frozenset(formals) for short, formals in found.items()}


# Short form -> the formal names it shortens ("BILL" -> {"WILLIAM"}, "CHRIS" -> several).
FORMAL_NAMES: dict[str, frozenset[str]] = _invert(NICKNAMES)


def name_variants(name: str) -> frozenset[str]:
    """The name, its short forms, the formal names it shortens, and their other short
    forms ("BILL" -> WILLIAM, WILL, LIAM, ...): every name that may be the same person's."""
    upper = name.strip().upper()
    if not upper:
        return frozenset()
    formals = {upper} & NICKNAMES.keys() | FORMAL_NAMES.get(upper, frozenset())
    found = {upper} | formals
    for formal in formals:
        found |= NICKNAMES[formal]
    return frozenset(found)


def nickname_link(typed: str, recorded: str) -> str | None:
    """How two different given names are the same name, said plainly, or None.

    "Nickname of William" (typed Bill, recorded William); "Known as Bill, a nickname of
    William" (typed William, recorded Bill); "Both nicknames of William" (Bill and Will).
    """
    a, b = typed.strip().upper(), recorded.strip().upper()
    if not a or not b or a == b:
        return None
    if a in NICKNAMES.get(b, ()):
        return f"Nickname of {recorded.strip()}"
    if b in NICKNAMES.get(a, ()):
        return f"Known as {recorded.strip()}, a nickname of {typed.strip()}"
    shared = FORMAL_NAMES.get(a, frozenset()) & FORMAL_NAMES.get(b, frozenset())
    if shared:
        return f"Both nicknames of {min(shared).title()}"
    return None
