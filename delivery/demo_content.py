"""Fictional demo content for the delivery plan tracker.

All names, places, people and text below are invented for demonstration purposes.
"""

from __future__ import annotations

PLAN_NAME = "Safer Severn Vale Plan 2024-2028"

PLAN_DESCRIPTION = (
    "The Safer Severn Vale Plan sets out the Police and Crime Commissioner's priorities for policing "
    "and community safety in Severn Vale from 2024 to 2028. Under four objectives, it describes what "
    "Severn Vale Police will deliver and what the Commissioner will do directly through commissioning, "
    "partnership work and scrutiny. Progress is reported to the Police and Crime Panel and published "
    "on the OPCC website."
)

OWNERS: list[str] = [
    "ACC Local Policing",
    "ACC Crime and Justice",
    "Director of People",
    "OPCC Chief Executive",
    "Chief Finance Officer (OPCC)",
    "Head of Commissioning",
    "Head of Scrutiny (OPCC)",
    "Victim Services Manager",
    "Partnerships Manager (OPCC)",
    "OPCC Engagement Officer",
    "Supt Haldane",
    "Supt Okafor",
    "Det Supt Marwood",
    "CI Tennant",
    "CI Brightwell",
    "DCI Ashdown",
    "DCI Sandhu",
    "Insp Llewellyn",
    "SNT Ch Insp",
    "Safer Roads team",
    "Rural Crime team",
    "OPU",
    "Economic Crime Unit",
    "Digital Services",
    "Corporate Comms",
    "Force Performance team",
    "Learning and Development",
    "Wellbeing Lead",
    "Head of Professional Standards",
    "Head of Contact Management",
    "Custody Manager",
    "Youth Diversion Lead",
    "CiP manager",
    "Estates and Facilities",
    "Fleet Manager",
]

OVERSIGHT_BODIES: list[dict] = [
    {
        "name": "Victims' Board",
        "purpose": "Oversees commissioned victim services and the force's compliance with the Victims' Code.",
        "frequency": "bi-monthly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "Monthly Holding to Account",
        "purpose": "The Commissioner's formal meeting to hold the Chief Constable to account for force performance.",
        "frequency": "monthly",
        "notes_published": True,
        "meets_in_public": True,
    },
    {
        "name": "Crime Reduction Board",
        "purpose": "Brings community safety partners together to co-ordinate work on neighbourhood crime, "
        "drugs and anti-social behaviour.",
        "frequency": "quarterly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "Road Safety Partnership",
        "purpose": "Co-ordinates enforcement, engineering and education to reduce road casualties across Severn Vale.",
        "frequency": "quarterly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "Performance and Accountability Board",
        "purpose": "Internal force board that reviews performance data and delivery against the plan.",
        "frequency": "monthly",
        "notes_published": False,
        "meets_in_public": False,
    },
    {
        "name": "Joint Audit Committee",
        "purpose": "Provides independent assurance on governance, risk management and internal control "
        "for the Commissioner and the Chief Constable.",
        "frequency": "quarterly",
        "notes_published": True,
        "meets_in_public": True,
    },
    {
        "name": "Police and Crime Panel",
        "purpose": "Scrutinises and supports the Commissioner in delivering the police and crime plan.",
        "frequency": "bi-monthly",
        "notes_published": True,
        "meets_in_public": True,
    },
    {
        "name": "Ethics Committee",
        "purpose": "Independent committee that considers ethical issues in policing and reviews complaint "
        "and conduct themes.",
        "frequency": "quarterly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "Rural Crime Forum",
        "purpose": "Gives farming, landowner and rural community representatives a voice on rural crime priorities.",
        "frequency": "six-monthly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "VAWG Delivery Group",
        "purpose": "Drives the multi-agency strategy on violence against women and girls, including "
        "domestic abuse and sexual violence.",
        "frequency": "monthly",
        "notes_published": False,
        "meets_in_public": False,
    },
    {
        "name": "Serious Violence Partnership Board",
        "purpose": "Leads delivery of the Serious Violence Duty with the specified authorities.",
        "frequency": "quarterly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "Local Criminal Justice Board",
        "purpose": "Brings criminal justice agencies together to improve the efficiency of the system and "
        "the experience of victims and witnesses.",
        "frequency": "quarterly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "People and Wellbeing Board",
        "purpose": "Oversees workforce planning, wellbeing, diversity and the volunteer workforce.",
        "frequency": "bi-monthly",
        "notes_published": False,
        "meets_in_public": False,
    },
    {
        "name": "Change and Investment Board",
        "purpose": "Approves business cases and monitors the force's digital, estates and fleet change programmes.",
        "frequency": "monthly",
        "notes_published": False,
        "meets_in_public": False,
    },
    {
        "name": "Independent Advisory Group",
        "purpose": "Community members who provide independent challenge on the use of police powers and "
        "community impact.",
        "frequency": "bi-monthly",
        "notes_published": True,
        "meets_in_public": False,
    },
    {
        "name": "Chief Officer Group",
        "purpose": "Weekly meeting of chief officers to agree force priorities and resolve escalated issues.",
        "frequency": "weekly",
        "notes_published": False,
        "meets_in_public": False,
    },
    {
        "name": "Severn Vale Partnership Summit",
        "purpose": "Annual event where the Commissioner and partners review progress against the plan and "
        "agree priorities for the year ahead.",
        "frequency": "annually",
        "notes_published": True,
        "meets_in_public": True,
    },
]

OBJECTIVES: list[dict] = [
    # ------------------------------------------------------------------
    # Objective 1
    # ------------------------------------------------------------------
    {
        "title": "Putting victims and survivors first",
        "sections": [
            {
                "title": "Policing element",
                "commitments": [
                    {
                        "ref": "1.1",
                        "text": "Improve compliance with the Victims' Code so that every victim receives the "
                        "right information and updates at the right time.",
                        "activities": [
                            {
                                "sub_ref": "1.1.1",
                                "text": "Introduce a monthly Victims' Code compliance audit across all "
                                "investigation teams and share the results with team leaders.",
                                "owners": ["CI Tennant", "Force Performance team"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.1.2",
                                "text": "Add mandatory Victims' Code prompts to the crime recording system "
                                "at first contact and at case closure.",
                                "owners": ["Digital Services", "Head of Contact Management"],
                                "oversight": ["Victims' Board", "Change and Investment Board"],
                            },
                            {
                                "sub_ref": "1.1.3",
                                "text": "Deliver refresher training on victim needs assessments to all "
                                "response and neighbourhood officers.",
                                "owners": ["Learning and Development", "CI Tennant"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.1.4",
                                "text": "Survey a sample of victims each quarter and report satisfaction by "
                                "crime type and protected characteristic.",
                                "owners": ["Force Performance team"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.2",
                        "text": "Strengthen the police response to domestic abuse, stalking and harassment, "
                        "with a focus on early risk identification and protective orders.",
                        "activities": [
                            {
                                "sub_ref": "1.2.1",
                                "text": "Embed the new domestic abuse risk assessment tool, with supervisory "
                                "review of all high-risk cases within 24 hours.",
                                "owners": ["DCI Ashdown"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                            {
                                "sub_ref": "1.2.2",
                                "text": "Set up an applications support desk to increase the use of Domestic "
                                "Abuse Protection Orders and Stalking Protection Orders.",
                                "owners": ["DCI Ashdown", "ACC Crime and Justice"],
                                "oversight": ["VAWG Delivery Group", "Monthly Holding to Account"],
                            },
                            {
                                "sub_ref": "1.2.3",
                                "text": "Pilot evidence-led prosecutions using body-worn video where victims "
                                "are unable to support a case.",
                                "owners": ["CI Brightwell"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.3",
                        "text": "Improve outcomes for victims of rape and serious sexual offences by "
                        "embedding the national operating model.",
                        "activities": [
                            {
                                "sub_ref": "1.3.1",
                                "text": "Complete the self-assessment against the national operating model "
                                "for rape investigation and agree an improvement plan.",
                                "owners": ["Det Supt Marwood"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                            {
                                "sub_ref": "1.3.2",
                                "text": "Establish a specialist RASSO investigation team with protected "
                                "caseloads and trauma-informed supervision.",
                                "owners": ["Det Supt Marwood", "Director of People"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                            {
                                "sub_ref": "1.3.3",
                                "text": "Hold early-advice case conferences with the Crown Prosecution "
                                "Service for all adult rape investigations.",
                                "owners": ["DCI Sandhu"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.4",
                        "text": "Keep victims and witnesses informed and supported throughout the criminal "
                        "justice process.",
                        "activities": [
                            {
                                "sub_ref": "1.4.1",
                                "text": "Review witness care unit caseloads and contact standards jointly "
                                "with the Crown Prosecution Service.",
                                "owners": ["CI Tennant"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                            {
                                "sub_ref": "1.4.2",
                                "text": "Introduce automated text updates for victims at key case "
                                "milestones, including charge and first hearing.",
                                "owners": ["Digital Services", "CI Tennant"],
                                "oversight": ["Victims' Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.5",
                        "text": "Respond consistently to victims of hate crime and to vulnerable victims of fraud.",
                        "activities": [
                            {
                                "sub_ref": "1.5.1",
                                "text": "Appoint a hate crime champion in each local policing area and "
                                "refresh their training.",
                                "owners": ["SNT Ch Insp"],
                                "oversight": ["Independent Advisory Group"],
                            },
                            {
                                "sub_ref": "1.5.2",
                                "text": "Make sure every vulnerable fraud victim receives a protect visit or "
                                "call within five working days of referral.",
                                "owners": ["Economic Crime Unit"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.5.3",
                                "text": "Publish quarterly hate crime data by strand and local policing area.",
                                "owners": ["Force Performance team", "Corporate Comms"],
                                "oversight": ["Independent Advisory Group"],
                            },
                        ],
                    },
                ],
            },
            {
                "title": "Police and Crime Commissioner's Commitments",
                "commitments": [
                    {
                        "ref": "1.6",
                        "text": "Commission a joined-up victim care service that offers a single point of "
                        "contact for all victims, whether or not they report to the police.",
                        "activities": [
                            {
                                "sub_ref": "1.6.1",
                                "text": "Retender the victim care hub contract, with service users on the "
                                "evaluation panel.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.6.2",
                                "text": "Extend self-referral to the victim care hub through an online form "
                                "and webchat.",
                                "owners": ["Victim Services Manager", "Digital Services"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.6.3",
                                "text": "Agree a shared outcomes framework for all commissioned victim services.",
                                "owners": ["Head of Commissioning", "Victim Services Manager"],
                                "oversight": ["Victims' Board", "Performance and Accountability Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.7",
                        "text": "Secure sustainable funding for independent domestic violence and sexual "
                        "violence advisers.",
                        "activities": [
                            {
                                "sub_ref": "1.7.1",
                                "text": "Agree multi-year co-commissioning arrangements for IDVA services "
                                "with the county and unitary councils.",
                                "owners": ["Head of Commissioning", "Chief Finance Officer (OPCC)"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                            {
                                "sub_ref": "1.7.2",
                                "text": "Fund two additional children and young people's ISVAs through the "
                                "sexual assault referral centre partnership.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                            {
                                "sub_ref": "1.7.3",
                                "text": "Map advocacy provision against demand and publish a gap analysis.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["Victims' Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.8",
                        "text": "Widen access to restorative justice for victims who want it, at every stage "
                        "of the criminal justice process.",
                        "activities": [
                            {
                                "sub_ref": "1.8.1",
                                "text": "Recommission the restorative justice service with clear referral "
                                "routes from police, probation and prisons.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                            {
                                "sub_ref": "1.8.2",
                                "text": "Train neighbourhood officers to offer restorative justice at first "
                                "contact for eligible offences.",
                                "owners": ["Learning and Development", "SNT Ch Insp"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.8.3",
                                "text": "Report restorative justice referrals, take-up and victim "
                                "satisfaction twice a year.",
                                "owners": ["Victim Services Manager"],
                                "oversight": ["Victims' Board"],
                            },
                        ],
                    },
                    {
                        "ref": "1.9",
                        "text": "Put the voice of victims and survivors at the heart of the Commissioner's decisions.",
                        "activities": [
                            {
                                "sub_ref": "1.9.1",
                                "text": "Set up a lived experience panel of victims and survivors to advise "
                                "on commissioning and scrutiny.",
                                "owners": ["Victim Services Manager", "OPCC Engagement Officer"],
                                "oversight": ["Victims' Board"],
                            },
                            {
                                "sub_ref": "1.9.2",
                                "text": "Run an annual victims' survey independently of the force and "
                                "publish the findings.",
                                "owners": ["OPCC Engagement Officer"],
                                "oversight": ["Police and Crime Panel"],
                            },
                            {
                                "sub_ref": "1.9.3",
                                "text": "Carry out thematic dip samples of victim complaints and Victims' "
                                "Code breaches.",
                                "owners": ["Head of Scrutiny (OPCC)"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                        ],
                    },
                    {
                        "ref": "1.10",
                        "text": "Tackle violence against women and girls through prevention, education and "
                        "work with perpetrators.",
                        "activities": [
                            {
                                "sub_ref": "1.10.1",
                                "text": "Commission an accredited domestic abuse perpetrator programme with "
                                "an independent evaluation.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                            {
                                "sub_ref": "1.10.2",
                                "text": "Fund healthy relationships education in secondary schools and colleges.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                            {
                                "sub_ref": "1.10.3",
                                "text": "Fund bystander intervention training for door staff, bar staff and "
                                "taxi drivers.",
                                "owners": ["Partnerships Manager (OPCC)", "SNT Ch Insp"],
                                "oversight": ["VAWG Delivery Group", "Crime Reduction Board"],
                            },
                        ],
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # Objective 2
    # ------------------------------------------------------------------
    {
        "title": "Building a more secure Severn Vale",
        "sections": [
            {
                "title": "Policing element",
                "commitments": [
                    {
                        "ref": "A.1",
                        "text": "Reduce serious violence, including knife crime, through targeted "
                        "enforcement and problem-solving in hotspot areas.",
                        "activities": [
                            {
                                "sub_ref": "A1.1",
                                "text": "Deploy hotspot patrols in the highest-harm violence locations using "
                                "harm-weighted analysis.",
                                "owners": ["Supt Haldane", "Force Performance team"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                            {
                                "sub_ref": "A1.2",
                                "text": "Run two knife crime intensification weeks a year, including weapons "
                                "sweeps, test purchases and school inputs.",
                                "owners": ["Supt Haldane"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                            {
                                "sub_ref": "A1.3",
                                "text": "Provide police data for the serious violence strategic needs "
                                "assessment and refresh it annually.",
                                "owners": ["Force Performance team"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                        ],
                    },
                    {
                        "ref": "A.2",
                        "text": "Disrupt county lines and organised crime groups, and safeguard the children "
                        "and vulnerable adults they exploit.",
                        "activities": [
                            {
                                "sub_ref": "A2.1",
                                "text": "Form a county lines taskforce working with neighbouring forces and "
                                "British Transport Police.",
                                "owners": ["Det Supt Marwood"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                            {
                                "sub_ref": "A2.2",
                                "text": "Increase the use of closure orders on properties taken over for cuckooing.",
                                "owners": ["DCI Sandhu", "SNT Ch Insp"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "A2.3",
                                "text": "Refer every child found in a county lines deployment to the "
                                "National Referral Mechanism and the local exploitation panel.",
                                "owners": ["DCI Sandhu"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                            {
                                "sub_ref": "A2.4",
                                "text": "Review organised crime group mapping each quarter and align "
                                "disruption plans to threat, harm and risk.",
                                "owners": ["Det Supt Marwood", "ACC Crime and Justice"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                        ],
                    },
                    {
                        "ref": "A.3",
                        "text": "Make Severn Vale's roads safer by tackling the fatal four: speeding, drink "
                        "and drug driving, mobile phone use and not wearing a seatbelt.",
                        "activities": [
                            {
                                "sub_ref": "A3.1",
                                "text": "Extend the roads policing enforcement calendar to include monthly "
                                "drink and drug driving operations.",
                                "owners": ["Safer Roads team", "OPU"],
                                "oversight": ["Road Safety Partnership"],
                            },
                            {
                                "sub_ref": "A3.2",
                                "text": "Process dashcam and Community Speed Watch submissions within the "
                                "agreed service standard.",
                                "owners": ["Safer Roads team"],
                                "oversight": ["Road Safety Partnership"],
                            },
                            {
                                "sub_ref": "A3.3",
                                "text": "Produce a casualty reduction problem profile for the A-road network "
                                "with the highways authorities.",
                                "owners": ["OPU", "Force Performance team"],
                                "oversight": ["Road Safety Partnership"],
                            },
                        ],
                    },
                    {
                        "ref": "A.4",
                        "text": "Protect rural and farming communities from crime, including machinery "
                        "theft, livestock worrying, hare coursing and heritage crime.",
                        "activities": [
                            {
                                "sub_ref": "A4.1",
                                "text": "Increase the number of officers trained in rural and wildlife crime "
                                "and publish the rural crime team's coverage.",
                                "owners": ["Rural Crime team"],
                                "oversight": ["Rural Crime Forum"],
                            },
                            {
                                "sub_ref": "A4.2",
                                "text": "Run a seasonal hare coursing operation with neighbouring forces, "
                                "using vehicle seizure powers where appropriate.",
                                "owners": ["Rural Crime team", "CI Brightwell"],
                                "oversight": ["Rural Crime Forum"],
                            },
                        ],
                    },
                    {
                        "ref": "A.5",
                        "text": "Improve the response to fraud, cyber crime and retail crime affecting "
                        "residents and businesses.",
                        "activities": [
                            {
                                "sub_ref": "A5.1",
                                "text": "Name a retail crime single point of contact in each local policing "
                                "area and agree an information-sharing protocol with retailers.",
                                "owners": ["SNT Ch Insp"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "A5.2",
                                "text": "Manage prolific shop theft offenders through integrated offender management.",
                                "owners": ["Insp Llewellyn"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "A5.3",
                                "text": "Deliver cyber protect sessions to small businesses, charities and schools.",
                                "owners": ["Economic Crime Unit"],
                                "oversight": ["Crime Reduction Board"],
                            },
                        ],
                    },
                ],
            },
            {
                "title": "Police and Crime Commissioner's Commitments",
                "commitments": [
                    {
                        "ref": "A.6",
                        "text": "Lead the Serious Violence Duty partnership and invest in early intervention "
                        "that stops young people being drawn into violence.",
                        "activities": [
                            {
                                "sub_ref": "A6.1",
                                "text": "Agree the serious violence strategy with the specified authorities "
                                "and publish it.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                            {
                                "sub_ref": "A6.2",
                                "text": "Commission youth workers in the emergency department and custody to "
                                "engage young people at reachable moments.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                            {
                                "sub_ref": "A6.3",
                                "text": "Allocate serious violence grant funding to community projects "
                                "through an open bidding round.",
                                "owners": ["Chief Finance Officer (OPCC)", "Partnerships Manager (OPCC)"],
                                "oversight": ["Serious Violence Partnership Board"],
                            },
                        ],
                    },
                    {
                        "ref": "A.7",
                        "text": "Reduce drug-related harm by working with health, treatment and recovery partners.",
                        "activities": [
                            {
                                "sub_ref": "A7.1",
                                "text": "Co-chair the combating drugs partnership and agree a shared local "
                                "delivery plan.",
                                "owners": ["OPCC Chief Executive"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "A7.2",
                                "text": "Commission a drug diversion scheme offering education and treatment "
                                "instead of prosecution for low-level possession.",
                                "owners": ["Head of Commissioning", "Custody Manager"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                            {
                                "sub_ref": "A7.3",
                                "text": "Fund naloxone kits and training for frontline officers in the areas "
                                "with the highest drug-related deaths.",
                                "owners": ["Chief Finance Officer (OPCC)", "OPU"],
                                "oversight": ["Crime Reduction Board"],
                            },
                        ],
                    },
                    {
                        "ref": "A.8",
                        "text": "Champion road safety and support community-led schemes that tackle speeding.",
                        "activities": [
                            {
                                "sub_ref": "A8.1",
                                "text": "Provide grants for new Community Speed Watch groups, covering "
                                "equipment and training.",
                                "owners": ["Safer Roads team", "CiP manager"],
                                "oversight": ["Road Safety Partnership"],
                            },
                            {
                                "sub_ref": "A8.2",
                                "text": "Reinvest a share of speed awareness course surplus in local road "
                                "safety education.",
                                "owners": ["Chief Finance Officer (OPCC)"],
                                "oversight": ["Road Safety Partnership"],
                            },
                            {
                                "sub_ref": "A8.3",
                                "text": "Host an annual road safety summit with highways authorities, the "
                                "fire and rescue service and road victims' charities.",
                                "owners": ["OPCC Engagement Officer"],
                                "oversight": ["Road Safety Partnership", "Severn Vale Partnership Summit"],
                            },
                        ],
                    },
                    {
                        "ref": "A.9",
                        "text": "Give rural communities a stronger voice and make sure rural crime is "
                        "properly resourced.",
                        "activities": [
                            {
                                "sub_ref": "A9.1",
                                "text": "Run a rural crime survey with farming unions and landowners every two years.",
                                "owners": ["OPCC Engagement Officer"],
                                "oversight": ["Rural Crime Forum"],
                            },
                            {
                                "sub_ref": "A9.2",
                                "text": "Fund forensic marking kits for agricultural machinery, trailers and "
                                "quad bikes.",
                                "owners": ["Rural Crime team"],
                                "oversight": ["Rural Crime Forum"],
                            },
                            {
                                "sub_ref": "A9.3",
                                "text": "Hold the Chief Constable to account for rural response times and outcomes.",
                                "owners": ["Head of Scrutiny (OPCC)"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                        ],
                    },
                    {
                        "ref": "A.10",
                        "text": "Work with businesses and justice partners to prevent crime and reduce reoffending.",
                        "activities": [
                            {
                                "sub_ref": "A10.1",
                                "text": "Set up a business crime forum with retailers, business improvement "
                                "districts and the licensed trade.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "A10.2",
                                "text": "Co-commission a specialist service for women in contact with the "
                                "criminal justice system with the Probation Service.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                            {
                                "sub_ref": "A10.3",
                                "text": "Support an employment pathway for prison leavers with local employers.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                        ],
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # Objective 3
    # ------------------------------------------------------------------
    {
        "title": "Reforming Severn Vale Police",
        "sections": [
            {
                "title": "Policing element",
                "commitments": [
                    {
                        "ref": "B1",
                        "text": "Improve the speed and quality of the force's response to 999 and 101 calls "
                        "and online contact.",
                        "activities": [
                            {
                                "sub_ref": "B1.1",
                                "text": "Recruit and train call handlers to reach the funded establishment "
                                "in the force contact centre.",
                                "owners": ["Head of Contact Management", "Director of People"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                            {
                                "sub_ref": "B1.2",
                                "text": "Introduce a call-back option on 101 at times of peak demand.",
                                "owners": ["Head of Contact Management", "Digital Services"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "B1.3",
                                "text": "Publish 999 and 101 answer times each month on the force website.",
                                "owners": ["Corporate Comms", "Force Performance team"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                            {
                                "sub_ref": "B1.4",
                                "text": "Promote online reporting channels to groups that are less likely to use them.",
                                "owners": ["Digital Services", "Corporate Comms"],
                                "oversight": ["Change and Investment Board"],
                            },
                        ],
                    },
                    {
                        "ref": "B2",
                        "text": "Modernise investigation through better digital forensics, data and technology.",
                        "activities": [
                            {
                                "sub_ref": "",
                                "text": "Reduce the digital forensics backlog by installing self-service "
                                "mobile phone kiosks at hub stations.",
                                "owners": ["Digital Services", "Det Supt Marwood"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Replace end-of-life body-worn video cameras and automate upload to "
                                "the digital evidence management system.",
                                "owners": ["Digital Services"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Achieve ISO 17025 accreditation for the digital forensics laboratory.",
                                "owners": ["Det Supt Marwood"],
                                "oversight": ["Joint Audit Committee"],
                            },
                        ],
                    },
                    {
                        "ref": "B3",
                        "text": "Look after the wellbeing of officers, staff and volunteers, and build a "
                        "workforce that reflects Severn Vale's communities.",
                        "activities": [
                            {
                                "sub_ref": "B3.1",
                                "text": "Extend trauma risk management support to all high-exposure roles.",
                                "owners": ["Wellbeing Lead"],
                                "oversight": ["People and Wellbeing Board"],
                            },
                            {
                                "sub_ref": "B3.2",
                                "text": "Deliver the force's Police Race Action Plan commitments, including "
                                "positive action in recruitment and progression.",
                                "owners": ["Director of People", "Supt Okafor"],
                                "oversight": ["People and Wellbeing Board", "Independent Advisory Group"],
                            },
                            {
                                "sub_ref": "B3.3",
                                "text": "Reduce sickness absence through targeted support for "
                                "musculoskeletal and mental health conditions.",
                                "owners": ["Wellbeing Lead", "Director of People"],
                                "oversight": ["People and Wellbeing Board"],
                            },
                        ],
                    },
                    {
                        "ref": "B4",
                        "text": "Maintain public trust through high standards of professional behaviour, "
                        "robust vetting and timely misconduct investigations.",
                        "activities": [
                            {
                                "sub_ref": "",
                                "text": "Re-vet all officers and staff against the updated vetting code of practice.",
                                "owners": ["Head of Professional Standards"],
                                "oversight": ["Ethics Committee"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Reduce the average time taken to conclude misconduct investigations.",
                                "owners": ["Head of Professional Standards"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Run a counter-corruption awareness campaign and promote the "
                                "confidential reporting line.",
                                "owners": ["Head of Professional Standards", "Corporate Comms"],
                                "oversight": ["Ethics Committee"],
                            },
                        ],
                    },
                    {
                        "ref": "B5",
                        "text": "Provide safe, decent and lawful custody.",
                        "activities": [
                            {
                                "sub_ref": "B5.1",
                                "text": "Complete ligature point reduction works in the remaining two custody suites.",
                                "owners": ["Custody Manager", "Estates and Facilities"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "B5.2",
                                "text": "Implement the recommendations of the most recent custody inspection "
                                "and report progress.",
                                "owners": ["Custody Manager", "ACC Crime and Justice"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                        ],
                    },
                ],
            },
            {
                "title": "Police and Crime Commissioner's Commitments",
                "commitments": [
                    {
                        "ref": "B6",
                        "text": "Set a balanced budget and a medium-term financial strategy that delivers "
                        "value for money.",
                        "activities": [
                            {
                                "sub_ref": "",
                                "text": "Agree a savings and efficiency programme with the force as part of "
                                "the medium-term financial strategy.",
                                "owners": ["Chief Finance Officer (OPCC)"],
                                "oversight": ["Joint Audit Committee"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Consult the public on the policing precept each year.",
                                "owners": ["OPCC Engagement Officer", "Corporate Comms"],
                                "oversight": ["Police and Crime Panel"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Commission an independent value-for-money review of support services.",
                                "owners": ["Chief Finance Officer (OPCC)", "OPCC Chief Executive"],
                                "oversight": ["Joint Audit Committee"],
                            },
                        ],
                    },
                    {
                        "ref": "B7",
                        "text": "Deliver an estates strategy that puts police where they are needed and "
                        "reduces running costs.",
                        "activities": [
                            {
                                "sub_ref": "B7.1",
                                "text": "Complete the business case for a shared police and fire station in "
                                "the north of the force area.",
                                "owners": ["Estates and Facilities", "Chief Finance Officer (OPCC)"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "B7.2",
                                "text": "Dispose of surplus buildings and reinvest the receipts in the "
                                "capital programme.",
                                "owners": ["Estates and Facilities"],
                                "oversight": ["Joint Audit Committee"],
                            },
                            {
                                "sub_ref": "B7.3",
                                "text": "Fit solar panels and energy efficiency measures to the largest "
                                "police buildings.",
                                "owners": ["Estates and Facilities"],
                                "oversight": ["Change and Investment Board"],
                            },
                        ],
                    },
                    {
                        "ref": "B8",
                        "text": "Modernise the police fleet and move towards lower-emission vehicles.",
                        "activities": [
                            {
                                "sub_ref": "",
                                "text": "Publish a fleet replacement plan, including the phased introduction "
                                "of electric and hybrid vehicles.",
                                "owners": ["Fleet Manager"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Install vehicle charging points at the main operational bases.",
                                "owners": ["Fleet Manager", "Estates and Facilities"],
                                "oversight": ["Change and Investment Board"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Introduce telematics across the fleet to improve vehicle use and "
                                "driver safety.",
                                "owners": ["Fleet Manager", "Digital Services"],
                                "oversight": ["Change and Investment Board"],
                            },
                        ],
                    },
                    {
                        "ref": "B9",
                        "text": "Hold the Chief Constable to account openly and transparently for the "
                        "performance of Severn Vale Police.",
                        "activities": [
                            {
                                "sub_ref": "B9.1",
                                "text": "Webcast Monthly Holding to Account meetings and publish papers in advance.",
                                "owners": ["Head of Scrutiny (OPCC)", "Corporate Comms"],
                                "oversight": ["Police and Crime Panel"],
                            },
                            {
                                "sub_ref": "B9.2",
                                "text": "Publish a quarterly performance report against the measures in this plan.",
                                "owners": ["Head of Scrutiny (OPCC)", "Force Performance team"],
                                "oversight": ["Police and Crime Panel"],
                            },
                            {
                                "sub_ref": "B9.3",
                                "text": "Track the force's progress against HMICFRS recommendations and "
                                "areas for improvement.",
                                "owners": ["Head of Scrutiny (OPCC)"],
                                "oversight": ["Joint Audit Committee"],
                            },
                        ],
                    },
                    {
                        "ref": "B10",
                        "text": "Improve how complaints against the police are handled and learned from.",
                        "activities": [
                            {
                                "sub_ref": "",
                                "text": "Complete complaint reviews within the target timescale and publish "
                                "anonymised outcomes.",
                                "owners": ["Head of Scrutiny (OPCC)"],
                                "oversight": ["Ethics Committee"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Set up an independent quality assurance panel to dip sample "
                                "complaint handling.",
                                "owners": ["OPCC Chief Executive"],
                                "oversight": ["Ethics Committee"],
                            },
                            {
                                "sub_ref": "",
                                "text": "Share themes from complaints and reviews with the force's "
                                "organisational learning forum.",
                                "owners": ["Head of Professional Standards", "Head of Scrutiny (OPCC)"],
                                "oversight": ["Ethics Committee"],
                            },
                        ],
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------
    # Objective 4
    # ------------------------------------------------------------------
    {
        "title": "Reassuring Severn Vale's communities",
        "sections": [
            {
                "title": "Policing element",
                "commitments": [
                    {
                        "ref": "3.1",
                        "text": "Maintain visible and accessible neighbourhood policing teams, with a named "
                        "contact for every community.",
                        "activities": [
                            {
                                "sub_ref": "3.1.1",
                                "text": "Protect neighbourhood officers and PCSOs from abstraction to response duties.",
                                "owners": ["ACC Local Policing"],
                                "oversight": ["Monthly Holding to Account", "Chief Officer Group"],
                            },
                            {
                                "sub_ref": "3.1.2",
                                "text": "Publish named neighbourhood contacts and ward priorities on the "
                                "force website.",
                                "owners": ["SNT Ch Insp", "Corporate Comms"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                            {
                                "sub_ref": "3.1.3",
                                "text": "Hold beat surgeries and mobile police station visits in villages "
                                "without a police building.",
                                "owners": ["SNT Ch Insp", "Rural Crime team"],
                                "oversight": ["Rural Crime Forum"],
                            },
                            {
                                "sub_ref": "3.1.4",
                                "text": "Train all neighbourhood teams in structured problem-solving and "
                                "share good practice across areas.",
                                "owners": ["Learning and Development", "Insp Llewellyn"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                        ],
                    },
                    {
                        "ref": "3.2",
                        "text": "Tackle anti-social behaviour through early intervention and full use of the "
                        "available powers.",
                        "activities": [
                            {
                                "sub_ref": "3.2.1",
                                "text": "Deliver hotspot patrols in the areas with the highest levels of "
                                "anti-social behaviour.",
                                "owners": ["SNT Ch Insp", "Supt Haldane"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "3.2.2",
                                "text": "Agree a consistent approach to community protection warnings and "
                                "notices with the district councils.",
                                "owners": ["Insp Llewellyn"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "3.2.3",
                                "text": "Promote the anti-social behaviour case review so that victims know "
                                "how to use it.",
                                "owners": ["Corporate Comms", "Victim Services Manager"],
                                "oversight": ["Victims' Board"],
                            },
                        ],
                    },
                    {
                        "ref": "3.3",
                        "text": "Divert young people away from crime and the criminal justice system.",
                        "activities": [
                            {
                                "sub_ref": "3.3.1",
                                "text": "Expand the youth out-of-court disposal scheme with youth justice services.",
                                "owners": ["Youth Diversion Lead"],
                                "oversight": ["Local Criminal Justice Board"],
                            },
                            {
                                "sub_ref": "3.3.2",
                                "text": "Reduce the number of children held in police custody overnight.",
                                "owners": ["Custody Manager", "Youth Diversion Lead"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                            {
                                "sub_ref": "3.3.3",
                                "text": "Grow the volunteer police cadets, prioritising young people from "
                                "under-represented communities.",
                                "owners": ["CiP manager", "Youth Diversion Lead"],
                                "oversight": ["People and Wellbeing Board"],
                            },
                        ],
                    },
                    {
                        "ref": "3.4",
                        "text": "Respond to people in mental health crisis in the right way, with the right "
                        "agency leading.",
                        "activities": [
                            {
                                "sub_ref": "3.4.1",
                                "text": "Implement Right Care, Right Person with health and social care, "
                                "with a joint review after each phase.",
                                "owners": ["ACC Local Policing"],
                                "oversight": ["Monthly Holding to Account"],
                            },
                            {
                                "sub_ref": "3.4.2",
                                "text": "Reduce the time officers spend waiting with patients in hospital "
                                "emergency departments.",
                                "owners": ["Supt Okafor"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                        ],
                    },
                    {
                        "ref": "3.5",
                        "text": "Use stop and search and force fairly, and be open about how these powers are used.",
                        "activities": [
                            {
                                "sub_ref": "3.5.1",
                                "text": "Publish stop and search and use of force data by ethnicity each "
                                "quarter, with commentary.",
                                "owners": ["Force Performance team", "Corporate Comms"],
                                "oversight": ["Independent Advisory Group"],
                            },
                            {
                                "sub_ref": "3.5.2",
                                "text": "Make sure stop and search encounters are recorded on body-worn "
                                "video and dip sampled by supervisors.",
                                "owners": ["CI Brightwell"],
                                "oversight": ["Independent Advisory Group"],
                            },
                            {
                                "sub_ref": "3.5.3",
                                "text": "Train officers in community-informed stop and search, co-delivered "
                                "with young people.",
                                "owners": ["Learning and Development", "Supt Okafor"],
                                "oversight": ["Independent Advisory Group"],
                            },
                        ],
                    },
                ],
            },
            {
                "title": "Police and Crime Commissioner's Commitments",
                "commitments": [
                    {
                        "ref": "3.6",
                        "text": "Listen to communities and act on what they tell us.",
                        "activities": [
                            {
                                "sub_ref": "3.6.1",
                                "text": "Hold public meetings in each local authority area and publish a "
                                "'you said, we did' record.",
                                "owners": ["OPCC Engagement Officer"],
                                "oversight": ["Police and Crime Panel"],
                            },
                            {
                                "sub_ref": "3.6.2",
                                "text": "Establish a youth commission to give young people a direct say in "
                                "policing priorities.",
                                "owners": ["OPCC Engagement Officer", "Youth Diversion Lead"],
                                "oversight": ["Police and Crime Panel"],
                            },
                            {
                                "sub_ref": "3.6.3",
                                "text": "Run a public confidence survey twice a year and share the results "
                                "with neighbourhood teams.",
                                "owners": ["OPCC Engagement Officer", "Force Performance team"],
                                "oversight": ["Performance and Accountability Board"],
                            },
                        ],
                    },
                    {
                        "ref": "3.7",
                        "text": "Grow the Special Constabulary and police support volunteers so that more "
                        "people can help keep Severn Vale safe.",
                        "activities": [
                            {
                                "sub_ref": "3.7.1",
                                "text": "Launch a special constable recruitment campaign aimed at rural "
                                "areas and local employers.",
                                "owners": ["CiP manager", "Corporate Comms"],
                                "oversight": ["People and Wellbeing Board"],
                            },
                            {
                                "sub_ref": "3.7.2",
                                "text": "Introduce an employer-supported policing scheme with the largest "
                                "employers in the force area.",
                                "owners": ["CiP manager"],
                                "oversight": ["People and Wellbeing Board"],
                            },
                            {
                                "sub_ref": "3.7.3",
                                "text": "Recognise the contribution of volunteers through an annual awards event.",
                                "owners": ["CiP manager", "OPCC Engagement Officer"],
                                "oversight": ["People and Wellbeing Board", "Severn Vale Partnership Summit"],
                            },
                        ],
                    },
                    {
                        "ref": "3.8",
                        "text": "Support Neighbourhood Watch and local community safety schemes.",
                        "activities": [
                            {
                                "sub_ref": "3.8.1",
                                "text": "Renew the grant agreement with the Severn Vale Neighbourhood Watch "
                                "Association.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "3.8.2",
                                "text": "Open a community safety fund offering small grants to local groups, "
                                "with all decisions published.",
                                "owners": ["Partnerships Manager (OPCC)", "Chief Finance Officer (OPCC)"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "3.8.3",
                                "text": "Promote the community messaging service to increase sign-ups from "
                                "under-represented groups.",
                                "owners": ["Corporate Comms"],
                                "oversight": ["Crime Reduction Board"],
                            },
                        ],
                    },
                    {
                        "ref": "3.9",
                        "text": "Make town centres and public transport feel safer, particularly at night.",
                        "activities": [
                            {
                                "sub_ref": "3.9.1",
                                "text": "Co-fund upgraded public space CCTV with the district councils.",
                                "owners": ["Partnerships Manager (OPCC)"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "3.9.2",
                                "text": "Bid for Home Office funding for the areas with the highest levels "
                                "of neighbourhood crime.",
                                "owners": ["Partnerships Manager (OPCC)", "Chief Finance Officer (OPCC)"],
                                "oversight": ["Crime Reduction Board"],
                            },
                            {
                                "sub_ref": "3.9.3",
                                "text": "Support street pastors and safe space schemes in the main "
                                "night-time economy areas.",
                                "owners": ["Head of Commissioning", "SNT Ch Insp"],
                                "oversight": ["VAWG Delivery Group"],
                            },
                        ],
                    },
                    {
                        "ref": "3.10",
                        "text": "Build trust and confidence among communities with lower confidence in "
                        "policing, including Black, Asian and minority ethnic communities.",
                        "activities": [
                            {
                                "sub_ref": "3.10.1",
                                "text": "Scrutinise delivery of the Police Race Action Plan through a "
                                "community-led reference group.",
                                "owners": ["Head of Scrutiny (OPCC)"],
                                "oversight": ["Independent Advisory Group"],
                            },
                            {
                                "sub_ref": "3.10.2",
                                "text": "Fund independent community scrutiny panels for stop and search and "
                                "use of force.",
                                "owners": ["Head of Commissioning"],
                                "oversight": ["Independent Advisory Group", "Ethics Committee"],
                            },
                            {
                                "sub_ref": "3.10.3",
                                "text": "Work with LGBT+, disabled people's and Gypsy, Roma and Traveller "
                                "groups to improve hate crime reporting.",
                                "owners": ["OPCC Engagement Officer", "SNT Ch Insp"],
                                "oversight": ["Independent Advisory Group"],
                            },
                        ],
                    },
                ],
            },
        ],
    },
]

UPDATE_TEXTS: dict[str, list[str]] = {
    "not_started": [
        "Not yet started. Scoping meeting with partners is being arranged.",
        "Work is scheduled to begin next quarter once the project lead is in post.",
        "Dependent on completion of a linked action; start date to be confirmed.",
        "Initial discussion held with the lead officer. Project brief to be drafted.",
        "Awaiting confirmation of funding before work can be mobilised.",
        "Terms of reference in draft and will be circulated to partners for comment.",
        "Lead officer identified. Planning meeting to be set up with key stakeholders.",
        "Not started, as planned. Sequenced to follow current priority work.",
        "Baseline data is being gathered to inform the scope of this action.",
        "Scheduled for a later year of the plan; no activity expected this quarter.",
        "Awaiting publication of national guidance before work starts.",
        "Resource requirement being assessed as part of the annual planning cycle.",
        "Project initiation document to go to the programme board for approval.",
        "Early engagement with partners planned. No formal work started yet.",
    ],
    "green": [
        "On track. Delivery is progressing in line with the agreed project plan.",
        "Good progress this quarter and all milestones met to date.",
        "Working group meeting regularly and actions are being completed on time.",
        "Training delivered to the first cohort; remaining sessions are booked.",
        "Procurement complete and supplier appointed. Mobilisation is under way.",
        "Data sharing agreement signed with partners. Implementation is on schedule.",
        "Pilot running well in the first area, with positive early feedback from staff and service users.",
        "Performance data shows steady improvement against the baseline.",
        "Business case approved by the programme board; delivery continues as planned.",
        "Recruitment complete and new post holders are now in role.",
        "Milestones for this quarter achieved. Next phase to start as scheduled.",
        "Guidance issued and briefed to supervisors. Compliance is being monitored.",
        "Funding secured and grant agreements issued to all recipients.",
        "On track. Risk log reviewed with no new issues identified.",
        "Interim evaluation findings are positive and will inform the wider roll-out.",
    ],
    "amber": [
        "Recruitment to the lead post has been delayed; revised delivery expected next quarter.",
        "Some slippage due to competing operational demands. Revised timeline agreed with the lead officer.",
        "IT supplier has reported delays to delivery; being managed through contract meetings.",
        "Data quality issues in the source system are delaying reporting. Cleansing work is under way.",
        "Partner capacity is limited and has slowed progress. Raised with the partnership chair.",
        "Training completion below target due to abstraction of staff to operational duties.",
        "Procurement timetable extended after a low response to the first tender; now re-advertised.",
        "Business case returned for further costing; to be resubmitted to the next board.",
        "Change request awaiting a development slot with the supplier. Interim manual process in place.",
        "Vacancy in the project lead role has slowed delivery. Cover arranged from within the team.",
        "Legal advice required on information sharing before the next phase can proceed.",
        "Pilot evaluation has taken longer than planned, so wider roll-out is deferred until it reports.",
        "Funding confirmed for one year only; longer-term options being explored with partners.",
        "Progress made but this quarter's milestones were missed. Recovery plan in place.",
        "Vetting delays for new starters have pushed back the go-live date.",
    ],
    "red": [
        "Off track. Funding gap identified and a decision is needed from the Commissioner on options.",
        "Supplier has withdrawn from the contract; re-procurement needed. Escalated to programme board.",
        "No progress this quarter following loss of the lead officer. Intervention required.",
        "Key partner has paused its involvement pending its own budget review. Escalated to chief officers.",
        "Current IT system cannot support the change without significant investment. Options paper in hand.",
        "Performance has deteriorated against the baseline. Chief officer review requested.",
        "Significantly behind schedule and original deliverables are no longer achievable within budget.",
        "Data sharing agreement still unsigned despite repeated requests, preventing delivery. Escalated.",
        "Recruitment campaign failed to fill the posts and the service cannot run at planned capacity.",
        "Business case not approved on affordability grounds. Alternative delivery model needed.",
        "Audit found significant control weaknesses; remedial plan needed before work can continue.",
        "Not enough qualified trainers to deliver at scale. Decision needed on external provision.",
        "Implementation halted pending legal advice following a challenge to the proposed approach.",
        "Demand well above commissioned capacity and waiting times are rising. Urgent review requested.",
    ],
    "complete": [
        "Action complete. Evaluation report presented to the oversight board.",
        "Complete. New arrangements are business as usual and monitored through routine reporting.",
        "Delivered in full. Closure report signed off by the senior responsible officer.",
        "All milestones achieved and benefits review completed.",
        "Complete. Contract awarded and the service is now live.",
        "Training delivered to all target staff, with completion above target.",
        "Policy published and briefed to all staff. Action closed.",
        "Complete. Lessons learned captured and shared with partners.",
        "Pilot concluded and the approach has been adopted force-wide.",
        "Action complete and outcome reported to the Police and Crime Panel.",
        "Finished on time and within budget. Handed over to the business owner.",
        "Complete. Ongoing activity will be reported through the annual report.",
        "Recommendations implemented and verified by internal audit.",
        "Delivered. Feedback from service users and partners has been positive.",
    ],
    "on_hold": [
        "On hold pending the outcome of a national review; will restart once guidance is issued.",
        "Paused while the force restructure is completed.",
        "On hold due to funding uncertainty. To be reconsidered at budget setting.",
        "Paused at the request of partners while they complete their own service review.",
        "On hold until the replacement IT platform is live, as the current system cannot support the change.",
        "Deferred so that resources can be redirected to a higher-priority operational requirement.",
        "On hold pending appointment of a new project lead.",
        "Paused during the pre-election period; will restart once priorities are confirmed.",
        "On hold while legal advice is sought on the proposed approach.",
        "Suspended pending the outcome of an independent inspection.",
        "Paused until the procurement framework is renewed.",
        "On hold while an evaluation of a similar scheme in another force is completed.",
    ],
    "closed": [
        "Closed. Superseded by a national programme that now covers this work.",
        "Merged with a related action to avoid duplication; progress will be reported there.",
        "Closed after a review of priorities. No longer considered the best use of resources.",
        "Closed. Partner organisation has taken over responsibility for delivery.",
        "Withdrawn after the pilot evaluation found limited benefit.",
        "Closed as the requirement is now met through business-as-usual activity.",
        "Superseded by the revised force operating model.",
        "Closed. Funding stream ended and the activity could not be sustained.",
        "Merged into the wider transformation programme at the request of the programme board.",
        "Closed following a change in legislation that removed the requirement.",
        "Closed and replaced by a revised action agreed by the oversight board.",
        "Closed by agreement with the Commissioner; activity absorbed into the annual business plan.",
    ],
}
